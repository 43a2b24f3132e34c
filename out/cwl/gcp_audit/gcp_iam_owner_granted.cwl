# Panther rule Sample.GCP.IAM.OwnerRoleGranted (rules/gcp_audit/gcp_iam_owner_granted.yml + rules/gcp_audit/gcp_iam_owner_granted.py)
# Sample: GCP Owner Role Granted
# An IAM policy change added a member to the basic Owner role (roles/owner), which grants full control of the project and its IAM policy.
# fidelity: exact
fields @timestamp, `resource.labels.project_id`, protoPayload.authenticationInfo.principalEmail, protoPayload.requestMetadata.callerIp, protoPayload.methodName, protoPayload.resourceName, protoPayload.serviceName, jsonParse(@message) as jsonMessage
| unnest jsonMessage.protoPayload.serviceData.policyDelta.bindingDeltas into bindingDeltasItem
| filter bindingDeltasItem.action = "ADD"
| filter bindingDeltasItem.role = "roles/owner"
| sort @timestamp desc
| limit 10000
