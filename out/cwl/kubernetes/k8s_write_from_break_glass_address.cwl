# Panther rule Sample.Kubernetes.WriteFromBreakGlassAddress (rules/kubernetes/k8s_write_from_break_glass_address.yml + rules/kubernetes/k8s_write_from_break_glass_address.py)
# Sample: Kubernetes Write Through the Break-Glass Bastion
# A create, update, patch or delete request reached the API server through the break-glass bastion, whose egress address appears among the request's sourceIPs (the client and each proxy).
# fidelity: exact
fields @timestamp, jsonParse(@message) as jsonMessage
| unnest jsonMessage.sourceIPs into sourceIPsItem
| filter sourceIPsItem = "198.51.100.7"
| filter verb in ["create", "delete", "patch", "update"]
| sort @timestamp desc
| limit 10000
