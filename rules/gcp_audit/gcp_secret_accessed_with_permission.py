# Sample rule: a principal read a Secret Manager secret's payload and Cloud IAM granted the read.
# Constructs exercised:
#   - event.deep_walk(...) ending on a list (protoPayload.authorizationInfo), with no list before it:
#     the list itself, or None where it is missing or empty
#   - a truthiness guard on that list, then a loop returning True on the first matching element
#   - `is True` on an element's boolean
#   - title() f-string


def rule(event):
    if event.deep_get("protoPayload", "methodName") != "google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion":
        return False
    checks = event.deep_walk("protoPayload", "authorizationInfo")
    if not checks:
        return False
    for check in checks:
        if check.get("permission") == "secretmanager.versions.access" and check.get("granted") is True:
            return True
    return False


def title(event):
    who = event.deep_get("protoPayload", "authenticationInfo", "principalEmail", default="<unknown>")
    return f"[{who}] read a Secret Manager secret version"
