# Panther rule Sample.Kubernetes.PodExec (rules/kubernetes/k8s_pod_exec.yml + rules/kubernetes/k8s_pod_exec.py)
# Sample: Exec into a Kubernetes pod (EKS, AKS)
# Someone opened a shell or ran a command in a running pod (kubectl exec), on EKS (the audit event itself) or on AKS (the audit event as JSON text in properties.log of a kube-audit record of Azure Monitor).
# log types: Amazon.EKS.Audit, Azure.MonitorActivity (one query each, to run over that log type's log groups: the filters differ)
# fidelity: approximate
# target-unsupported-construct: cwl: a test on a parsed JSON document itself (a map, a list or an empty value in Logs Insights) cannot be expressed in Logs Insights; replaced by its superset
# query 1 of 2: Amazon.EKS.Audit
fields @timestamp
| filter objectRef.resource = "pods"
| filter objectRef.subresource = "exec"
| filter verb in ["create", "get"]
| sort @timestamp desc
| limit 10000
# query 2 of 2: Azure.MonitorActivity
fields @timestamp, jsonParse(properties.log) as jsonLog
| filter category in ["kube-audit", "kube-audit-admin"]
| filter jsonLog.verb in ["create", "get"]
| filter jsonLog.objectRef.resource = "pods"
| filter jsonLog.objectRef.subresource = "exec"
| sort @timestamp desc
| limit 10000
