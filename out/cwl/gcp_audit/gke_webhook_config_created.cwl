# Panther rule Sample.GCP.GKE.WebhookConfigCreated (rules/gcp_audit/gke_webhook_config_created.yml + rules/gcp_audit/gke_webhook_config_created.py)
# Sample: GKE Admission Webhook Created
# A mutating or validating admission webhook configuration was created through the GKE API server. An admission webhook sees (and, when mutating, can change) every object the API server admits.
# fidelity: approximate
# target-computed-value: cwl: a computed value (str(event.get("protoPayload").get("resourceName"))) cannot be addressed as a field; replaced by its superset
fields @timestamp
| filter protoPayload.methodName =~ /\.create$/
| filter not (protoPayload.methodName =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter protoPayload.serviceName = "k8s.io"
| sort @timestamp desc
| limit 10000
