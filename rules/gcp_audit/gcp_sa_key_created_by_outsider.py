# Sample rule: a service-account key created by a principal that is not one of the platform's own.
# Constructs exercised:
#   - event.deep_get(...) of a nested member with a default
#   - not any(s.startswith(p) for p in CONSTANT_TUPLE): one member tested against several prefixes
#     (in KQL the member is read once, in an extend, and each prefix test reads the column)
#   - title() f-string

PLATFORM_PREFIXES = (
    "system:",
    "service-",
    "gke-",
    "terraform-",
)


def rule(event):
    if event.deep_get("protoPayload", "methodName") != "google.iam.admin.v1.CreateServiceAccountKey":
        return False
    subject = event.deep_get("protoPayload", "authenticationInfo", "principalSubject", default="")
    return not any(subject.startswith(prefix) for prefix in PLATFORM_PREFIXES)


def title(event):
    who = event.deep_get("protoPayload", "authenticationInfo", "principalSubject", default="<unknown>")
    return f"Service-account key created by [{who}]"
