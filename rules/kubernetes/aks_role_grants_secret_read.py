# Sample rule: a Role or ClusterRole created on an AKS cluster that lets its holders read Secrets, read
# from the Kubernetes audit event Azure Monitor carries as JSON text in properties.log.
# Constructs exercised (Logs Insights writes them with unnest):
#   - a for loop over a list of the parsed JSON document (requestObject.rules), `return True` inside
#   - two `s in list` tests on each rule entry, both required (one nested unnest each)
import json


def rule(event):
    if event.get("category") not in ("kube-audit", "kube-audit-admin"):
        return False
    try:
        log = json.loads(event.deep_get("properties", "log", default=""))
    except (TypeError, ValueError):
        return False
    if log.get("verb") != "create" or log.get("objectRef", {}).get("resource") not in ("roles", "clusterroles"):
        return False
    for entry in log.get("requestObject", {}).get("rules", []):
        if "secrets" in entry.get("resources", []) and "get" in entry.get("verbs", []):
            return True
    return False


def title(event):
    return "An AKS role that can read Secrets was created"
