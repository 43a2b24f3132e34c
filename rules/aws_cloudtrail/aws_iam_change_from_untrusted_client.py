# Sample rule: IAM credentials created, or IAM changed successfully by a client other than the AWS
# CLI and SDKs the team uses.
# Constructs exercised:
#   - `is None` and the truthiness of one field (Sigma: both read `field: null`, written once and
#     named from both places)
#   - str.startswith(tuple) negated on a field that is not repeated (YARA-L: one regex,
#     `not re.regex(f, ^(?:A|B))`, written without (?s): anchored, no newline)
#   - `in` a tuple of two values (YARA-L: one anchored regex where shorter than the equalities)

TRUSTED_CLIENTS = ("aws-cli/", "Boto3/")


def rule(event):
    if event.get("eventSource") != "iam.amazonaws.com":
        return False
    code = event.get("errorCode")
    if event.get("eventName") in ("CreateAccessKey", "CreateLoginProfile"):
        return code is None
    return not code and not event.get("userAgent", "").startswith(TRUSTED_CLIENTS)
