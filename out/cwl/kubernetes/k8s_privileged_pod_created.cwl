# Panther rule Sample.Kubernetes.PrivilegedPodCreated (rules/kubernetes/k8s_privileged_pod_created.yml + rules/kubernetes/k8s_privileged_pod_created.py)
# Sample: Kubernetes Privileged Pod Created
# A pod was created with a privileged container or a container that adds SYS_ADMIN, SYS_PTRACE, SYS_MODULE or NET_ADMIN. Such a container can take over its node.
# fidelity: approximate
# target-quantifier: cwl: any()/all() over a list is not expressed in Logs Insights; replaced by its superset
# target-unsupported-construct: cwl: a test on sourceIPs (a list in the mapping) cannot be expressed in Logs Insights; replaced by its superset
# target-unsupported-construct: cwl: a test on containersItem.securityContext.privileged (a boolean in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, user.username, user.groups, sourceIPs, objectRef.namespace, requestObject.metadata.name, userAgent, jsonParse(@message) as jsonMessage
| unnest jsonMessage.requestObject.spec.containers into containersItem
| filter objectRef.resource = "pods"
| filter responseStatus.code in [200, 201]
| filter verb = "create"
| sort @timestamp desc
| limit 10000
