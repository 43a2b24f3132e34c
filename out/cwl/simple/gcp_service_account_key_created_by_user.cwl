# Panther rule Sample.Simple.GCP.ServiceAccountKeyCreatedByUser (rules/simple/gcp_service_account_key_created_by_user.yml)
# Sample (simple): GCP Service Account Key Created by a Person
# A user-managed key was created for a service account by a person rather than by a service account or Terraform. Long-lived keys are easy to leak and outlive the person who made them.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on protoPayload.authorizationInfo (a list in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
# target-unsupported-construct: cwl: a test on protoPayload.status (a JSON object in the mapping) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, protoPayload.authenticationInfo.principalEmail, protoPayload.resourceName, protoPayload.requestMetadata.callerIp, `resource.labels.project_id`, jsonParse(@message) as jsonMessage
| unnest jsonMessage.protoPayload.authorizationInfo into authorizationInfoItem
| filter protoPayload.authorizationInfo.0.granted = 1
| filter protoPayload.methodName =~ /\.CreateServiceAccountKey$/
| filter not (protoPayload.methodName =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter authorizationInfoItem.permission like "iam.serviceAccountKeys.create"
| filter not (ispresent(protoPayload.authenticationInfo.principalEmail)) or not (protoPayload.authenticationInfo.principalEmail =~ /\.iam\.gserviceaccount\.com$/) or protoPayload.authenticationInfo.principalEmail =~ /[\x0a-\x0d\x85‧-‰]$/
| filter not (ispresent(protoPayload.requestMetadata.callerSuppliedUserAgent)) or not (protoPayload.requestMetadata.callerSuppliedUserAgent =~ /(?i)^terraform\x2f/)
| sort @timestamp desc
| limit 10000
