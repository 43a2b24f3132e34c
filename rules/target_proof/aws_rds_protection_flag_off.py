# Sample rule: deletion protection or IAM authentication turned off on an RDS instance.
# Constructs exercised:
#   - `x is False` (an isinstance(x, bool) test beside x == False: Sigma's `x: false` matches a JSON
#     boolean only, so the type test goes)
#   - isinstance(x, bool) alone, negated (Sigma: `not x: [true, false]`)
#   - a key the rule's tests spell in another casing (Panther finds `eventname` where the log holds no
#     `eventName`; Sigma reads both spellings, the rule's first)


def rule(event):
    if event.get("eventName") != "ModifyDBInstance":
        return False
    params = event.get("requestParameters", {})
    if params.get("deletionProtection") is False:
        return True
    iam = params.get("enableIAMDatabaseAuthentication")
    return not isinstance(iam, bool) and iam is not None
