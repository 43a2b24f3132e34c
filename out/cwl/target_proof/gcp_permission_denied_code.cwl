# Panther rule Sample.Proof.PermissionDeniedCode (rules/target_proof/gcp_permission_denied_code.yml + rules/target_proof/gcp_permission_denied_code.py)
# Sample: GCP Request Denied for Lack of Permission
# A Google Cloud API request outside Kubernetes was denied with PERMISSION_DENIED (status code 7).
# fidelity: approximate
# target-computed-value: cwl: a computed value (str(event.get("protoPayload").get("status").get("code"))) cannot be addressed as a field; replaced by its superset
fields @timestamp
| filter not (ispresent(protoPayload.serviceName)) or not (protoPayload.serviceName in ["container.googleapis.com", "k8s.io"])
| sort @timestamp desc
| limit 10000
