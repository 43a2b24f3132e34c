import re

# Role sessions that may change IAM policies, as patterns of the issuing role's ARN
APPROVED_ROLE_PATTERNS = [r":role/IAMAdmin(-[a-z]+)?$", r":role/Terraform[A-Za-z]*$"]
ROLE_POLICY_EVENTS = ("PutRolePolicy", "AttachRolePolicy")
USER_POLICY_EVENTS = ("PutUserPolicy", "AttachUserPolicy")


def change_context(event):
    context = {}
    if event.get("eventName") in ROLE_POLICY_EVENTS:
        context["target"] = "role"
    elif event.get("eventName") in USER_POLICY_EVENTS:
        context["target"] = "user"
    context["session_arn"] = event.deep_get(
        "userIdentity", "sessionContext", "sessionIssuer", "arn", default=""
    )
    return context


def rule(event):
    if event.get("errorCode"):
        return False
    context = change_context(event)
    if context.get("target") not in ("role", "user"):
        return False
    for pattern in APPROVED_ROLE_PATTERNS:
        if len(re.findall(pattern, context["session_arn"])) > 0:
            return False
    return True


def title(event):
    return (
        f"IAM policy changed by [{event.deep_get('userIdentity', 'arn', default='<UNKNOWN>')}] "
        f"outside the approved roles"
    )
