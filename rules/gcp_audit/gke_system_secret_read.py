# Sample rule: a Kubernetes secret in a system namespace was read through the GKE API server.
# Constructs exercised:
#   - str.split(sep) of a field read with default="", its length, and its elements by positive
#     and negative index (the `len(...)` test guards the positive ones; [-2] is guarded by it too)
#   - str(...).rsplit(sep, 1)[-1] (the last piece, as split(sep)[-1])
#   - a set constant and `in CONST` on a computed piece
SYSTEM_NAMESPACES = {"kube-system", "kube-public", "kube-node-lease"}


def rule(event):
    if event.deep_get("protoPayload", "serviceName", default="") != "k8s.io":
        return False
    verb = str(event.deep_get("protoPayload", "methodName", default="")).rsplit(".", 1)[-1]
    # namespaced secrets: core/v1/namespaces/<namespace>/secrets[/<name>]
    parts = event.deep_get("protoPayload", "resourceName", default="").split("/")
    if len(parts) < 5 or parts[2] != "namespaces" or parts[3] not in SYSTEM_NAMESPACES:
        return False
    if verb == "get":
        return parts[-2] == "secrets"
    return verb == "list" and parts[-1] == "secrets"


def title(event):
    return f"Secret read in a GKE system namespace by {event.deep_get('protoPayload', 'authenticationInfo', 'principalEmail', default='<unknown>')}"
