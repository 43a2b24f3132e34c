# Sample rule: an ECR image push from an account outside the regions it is expected in, by a named
# principal.
# Constructs exercised:
#   - a constant dict subscripted by an event value, guarded by `in` (ACCOUNT_REGIONS[account]),
#     whose values are sets
#   - a helper returning a field or None, and the caller's `if not name: return False` before
#     name.lower() (the None arm never reaches the method)

# the regions each account pushes images from; other accounts are not checked
ACCOUNT_REGIONS = {
    "111122223333": {"us-east-1", "us-west-2"},
    "444455556666": {"eu-west-1"},
}


def principal_name(event):
    if event.deep_get("userIdentity", "userName"):
        return event.deep_get("userIdentity", "userName")
    if event.deep_get("userIdentity", "sessionContext", "sessionIssuer", "userName"):
        return event.deep_get("userIdentity", "sessionContext", "sessionIssuer", "userName")
    return None


def is_build_principal(name):
    if not name:
        return False
    return name.lower().startswith("ci-")


def rule(event):
    if event.get("eventSource") != "ecr.amazonaws.com" or event.get("eventName") != "PutImage":
        return False
    account = event.get("recipientAccountId")
    if account not in ACCOUNT_REGIONS:
        return False
    if event.get("awsRegion") in ACCOUNT_REGIONS[account]:
        return False
    return not is_build_principal(principal_name(event))


def title(event):
    return f"ECR image pushed in [{event.get('awsRegion')}] for account [{event.get('recipientAccountId')}]"
