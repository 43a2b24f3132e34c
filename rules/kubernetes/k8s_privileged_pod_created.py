# Sample rule: a pod created with a privileged container or a dangerous added Linux capability.
# Constructs exercised:
#   - all(... for ip in event.get("sourceIPs", [])) (generator over an event list)
#   - a for loop over an event list (spec.containers) with local variables assigned in the loop
#     body and `return True` inside, and a nested for loop over each container's added capabilities
#   - .upper() then `in CONST`; `is True`; tuple/set constants
#   - title() f-string; inline alert_context()

DANGEROUS_CAPABILITIES = {"SYS_ADMIN", "CAP_SYS_ADMIN", "SYS_PTRACE", "CAP_SYS_PTRACE", "SYS_MODULE", "NET_ADMIN"}


def rule(event):
    if event.get("verb") != "create" or event.deep_get("objectRef", "resource") != "pods":
        return False
    if event.deep_get("responseStatus", "code") not in (200, 201):
        return False
    # the control plane's own components talk to the API server over loopback
    source_ips = event.get("sourceIPs", [])
    if source_ips and all(ip.startswith("127.") for ip in event.get("sourceIPs", [])):
        return False
    for container in event.deep_get("requestObject", "spec", "containers", default=[]):
        security = container.get("securityContext", {})
        if security.get("privileged") is True:
            return True
        added = security.get("capabilities", {}).get("add", [])
        for capability in added:
            if capability.upper() in DANGEROUS_CAPABILITIES:
                return True
    return False


def title(event):
    return (
        f"[{event.deep_get('user', 'username', default='<UNKNOWN_USER>')}] created privileged pod "
        f"[{event.deep_get('objectRef', 'namespace')}/{event.deep_get('requestObject', 'metadata', 'name')}]"
    )


def alert_context(event):
    return {
        "user": event.deep_get("user", "username"),
        "groups": event.deep_get("user", "groups"),
        "sourceIPs": event.get("sourceIPs"),
        "namespace": event.deep_get("objectRef", "namespace"),
        "pod": event.deep_get("requestObject", "metadata", "name"),
        "userAgent": event.get("userAgent"),
    }
