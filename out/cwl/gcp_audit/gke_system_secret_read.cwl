# Panther rule Sample.GCP.GKE.SystemSecretRead (rules/gcp_audit/gke_system_secret_read.yml + rules/gcp_audit/gke_system_secret_read.py)
# Sample: GKE Secret Read in a System Namespace
# A secret in kube-system, kube-public or kube-node-lease was read (get) or listed through the GKE API server. Service-account tokens and cluster credentials live there; reading them is a common step towards cluster-wide access.
# fidelity: approximate
# target-computed-value: cwl: a computed value (rsplit(str(event.get("protoPayload").get("methodName")), ".", 1)[-1]) cannot be addressed as a field; replaced by its superset
# target-computed-value: cwl: a computed value (split(event.get("protoPayload").get("resourceName"), "/")[-2]) cannot be addressed as a field; replaced by its superset
fields @timestamp, protoPayload.authenticationInfo.principalEmail, protoPayload.methodName, protoPayload.resourceName
| fields if(protoPayload.resourceName =~ /[\x0a-\x0d\x85‧-‰]$/, 1, 0) as ResourceNameMatches
| filter protoPayload.serviceName = "k8s.io"
| filter protoPayload.resourceName =~ /^[^\x2f]*\x2f[^\x2f]*\x2f[^\x2f]*\x2f[^\x2f]*\x2f/
| filter protoPayload.resourceName =~ /^(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)namespaces\x2f/ or (protoPayload.resourceName =~ /^(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)namespaces$/ and ResourceNameMatches = 0)
| filter protoPayload.resourceName =~ /^(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:kube-node-lease|kube-public|kube-system)\x2f/ or (protoPayload.resourceName =~ /^(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:kube-node-lease|kube-public|kube-system)$/ and ResourceNameMatches = 0)
| sort @timestamp desc
| limit 10000
