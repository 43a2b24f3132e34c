import json

EXEC_VERBS = ("create", "get")


def _is_exec(verb, resource, subresource):
    return verb in EXEC_VERBS and resource == "pods" and subresource == "exec"


def rule(event):
    if event.get("p_log_type") == "Amazon.EKS.Audit":
        return _is_exec(
            event.get("verb"),
            event.deep_get("objectRef", "resource"),
            event.deep_get("objectRef", "subresource"),
        )
    # AKS: the audit event is the JSON text in properties.log of a kube-audit record
    if event.get("category", "") not in ("kube-audit", "kube-audit-admin"):
        return False
    try:
        audit = json.loads(event.deep_get("properties", "log", default=""))
    except json.JSONDecodeError:
        return False
    if not isinstance(audit, dict):
        return False
    # a request someone impersonated is reviewed elsewhere
    if "impersonatedUser" in audit:
        return False
    ref = audit.get("objectRef", {})
    return _is_exec(audit.get("verb"), ref.get("resource"), ref.get("subresource"))


def title(event):
    return f"Exec into a pod ({event.get('p_log_type')})"
