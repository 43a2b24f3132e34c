# Panther rule Sample.GCP.SecretManager.SecretAccessed (rules/gcp_audit/gcp_secret_accessed_with_permission.yml + rules/gcp_audit/gcp_secret_accessed_with_permission.py)
# Sample: Secret Manager Secret Version Read
# A principal read the payload of a Secret Manager secret version, and the audit record shows Cloud IAM granting the secretmanager.versions.access permission for it.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on authorizationInfoItem.granted (a boolean in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, jsonParse(@message) as jsonMessage
| unnest jsonMessage.protoPayload.authorizationInfo into authorizationInfoItem
| filter protoPayload.methodName = "google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion"
| filter authorizationInfoItem.permission = "secretmanager.versions.access"
| sort @timestamp desc
| limit 10000
