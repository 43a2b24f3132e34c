# Panther rule Sample.GCP.IAM.OwnerRoleGranted (rules/gcp_audit/gcp_iam_owner_granted.yml + rules/gcp_audit/gcp_iam_owner_granted.py)
# Sample: GCP Owner Role Granted
# An IAM policy change added a member to the basic Owner role (roles/owner), which grants full control of the project and its IAM policy.
# fidelity: approximate
# target-quantifier: cwl: any()/all() over a list is not expressed in Logs Insights; replaced by its superset
fields @timestamp, `resource.labels.project_id`, protoPayload.authenticationInfo.principalEmail, protoPayload.requestMetadata.callerIp, protoPayload.methodName, protoPayload.resourceName, protoPayload.serviceName
| sort @timestamp desc
| limit 10000
