# Panther rule Sample.GCP.GKE.WebhookConfigCreated (rules/gcp_audit/gke_webhook_config_created.yml + rules/gcp_audit/gke_webhook_config_created.py)
# Sample: GKE Admission Webhook Created
# A mutating or validating admission webhook configuration was created through the GKE API server. An admission webhook sees (and, when mutating, can change) every object the API server admits.
# fidelity: exact
fields @timestamp
| fields if(protoPayload.resourceName =~ /[\x0a-\x0d\x85‧-‰]$/, 1, 0) as ResourceNameMatches, if(protoPayload.resourceName =~ /^[^\x2f]*\x2f[^\x2f]*\x2f[^\x2f]*\x2f[^\x2f]*\x2f/, 1, 0) as ResourceNameMatches2
| filter protoPayload.methodName =~ /\.create$/
| filter not (protoPayload.methodName =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter protoPayload.serviceName = "k8s.io"
| filter (ResourceNameMatches2 = 1 and (protoPayload.resourceName =~ /^(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:mutatingwebhookconfigurations|validatingwebhookconfigurations)\x2f/ or (protoPayload.resourceName =~ /^(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:mutatingwebhookconfigurations|validatingwebhookconfigurations)$/ and ResourceNameMatches = 0))) or (protoPayload.resourceName =~ /^[^\x2f]*\x2f[^\x2f]*\x2f/ and (protoPayload.resourceName =~ /^(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:mutatingwebhookconfigurations|validatingwebhookconfigurations)\x2f/ or (protoPayload.resourceName =~ /^(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:mutatingwebhookconfigurations|validatingwebhookconfigurations)$/ and ResourceNameMatches = 0)) and ResourceNameMatches2 = 0)
| sort @timestamp desc
| limit 10000
