# Sample rule: an administrator-equivalent AWS managed policy was attached to a user, group or role.
# Constructs exercised:
#   - module constants: a list and a tuple
#   - truthiness (`if event.get("errorCode"):`)
#   - `not in CONST` (list)
#   - chained event.get("a", {}).get("b")
#   - `is None`
#   - str.endswith(...) with a tuple argument
#   - local variable assignment, if/early-return chain, `return <expr>`
#   - alert_context() returning an inline dict

POLICY_ATTACH_EVENTS = ["AttachUserPolicy", "AttachGroupPolicy", "AttachRolePolicy"]
ADMIN_POLICY_SUFFIXES = (":policy/AdministratorAccess", ":policy/IAMFullAccess")


def rule(event):
    if event.get("errorCode"):
        return False
    if event.get("eventName") not in POLICY_ATTACH_EVENTS:
        return False
    policy_arn = event.get("requestParameters", {}).get("policyArn")
    if policy_arn is None:
        return False
    return policy_arn.endswith(ADMIN_POLICY_SUFFIXES)


def alert_context(event):
    params = event.get("requestParameters", {})
    return {
        "policyArn": params.get("policyArn"),
        "userName": params.get("userName"),
        "groupName": params.get("groupName"),
        "roleName": params.get("roleName"),
        "actor": event.deep_get("userIdentity", "arn"),
    }
