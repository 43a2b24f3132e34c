# Sample rule: a DaemonSet created in a namespace on an AKS cluster, read from the Kubernetes audit event
# Azure Monitor carries as JSON text in properties.log.
# Constructs exercised (Logs Insights reads the text with jsonParse()):
#   - a mapping in the parsed document tested for truthiness beside a test below it (left out: implied)
#   - isinstance(x, int) of a value the tests hold only as integral numbers (its presence)
#   - a piece of str(x).split("/") of a value the tests hold only as strings, and the truthiness of a piece
import json


def rule(event):
    if event.get("category") not in ("kube-audit", "kube-audit-admin"):
        return False
    try:
        log = json.loads(event.deep_get("properties", "log", default=""))
    except (TypeError, ValueError):
        return False
    status = log.get("responseStatus")
    if status and isinstance(status.get("code"), int) and status.get("code") >= 400:
        return False
    parts = str(event.deep_get("properties", "requestURI", default="")).split("/")
    if len(parts) < 7 or parts[6] != "daemonsets":
        return False
    return log.get("verb") == "create" and bool(parts[5])
