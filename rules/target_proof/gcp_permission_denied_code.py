# Sample rule: a Google Cloud request denied for lack of permission (status code 7, PERMISSION_DENIED).
# Constructs exercised:
#   - str() of a value that is an int in some records and a str in others, compared with digits
#     (KQL: `gettype(x) in ("string", "long", "int") and tostring(x) == "7"`)
#   - str() compared with a list of texts
def rule(event):
    code = event.deep_get("protoPayload", "status", "code")
    if str(code) != "7":
        return False
    return str(event.deep_get("protoPayload", "serviceName")) not in ("k8s.io", "container.googleapis.com")
