# Sample rule: an IAM policy document granting every action, or a policy change by the root user
# from the AWS CLI.
# Pins:
#   - re.search over a multi-line value (the policy document is pretty-printed JSON): Python scans
#     every line, YARA-L's re.regex only the first unless the pattern sets (?s)
#   - `a and b or c and d` over different fields: targets that do not document the precedence of
#     and/or must parenthesise
import re

WILDCARD_ACTION = re.compile(r'"Action": ?"\*"')


def rule(event):
    document = event.deep_get("requestParameters", "policyDocument", default="")
    return (
        event.get("eventName") == "CreatePolicy"
        and bool(WILDCARD_ACTION.search(document))
        or event.deep_get("userIdentity", "type") == "Root"
        and event.get("userAgent", "").startswith("aws-cli/")
    )
