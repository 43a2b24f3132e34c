# Sample rule: an ingress network ACL entry that allows traffic, or an RDS instance made public.
# Constructs exercised (Logs Insights discovers a JSON boolean as the number 1 or 0):
#   - `not x` on a field the mapping types boolean (CloudTrail readOnly)
#   - `x in (False, "false")` on a field the tests hold only as booleans (no string equals a boolean)
#   - `x is True` (an isinstance(x, bool) test beside x == True)
#   - isinstance(x, str) of a field the tests hold only as strings


def rule(event):
    if event.get("readOnly"):
        return False
    if not isinstance(event.get("eventName"), str):
        return False
    if event.get("eventName") == "CreateNetworkAclEntry":
        return (
            event.deep_get("requestParameters", "egress") in (False, "false")
            and event.deep_get("requestParameters", "ruleAction") == "allow"
        )
    if event.get("eventName") == "ModifyDBInstance":
        return event.deep_get("requestParameters", "publiclyAccessible") is True
    return False
