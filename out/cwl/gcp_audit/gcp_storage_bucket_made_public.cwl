# Panther rule Sample.GCP.GCS.BucketMadePublic (rules/gcp_audit/gcp_storage_bucket_made_public.yml + rules/gcp_audit/gcp_storage_bucket_made_public.py)
# Sample: GCS Bucket IAM Policy Grants Public Access
# A Cloud Storage bucket's IAM policy was changed and one of the binding deltas names allUsers or allAuthenticatedUsers, so anyone on the internet (or any Google account) can read or write it.
# fidelity: approximate
# target-computed-value: cwl: a computed value (deep_walk(event, ["protoPayload","serviceData","policyDelta","bindingDeltas","member"], [], "all")) cannot be addressed as a field; replaced by its superset
# target-quantifier: cwl: any()/all() over a list is not expressed in Logs Insights; replaced by its superset
fields @timestamp, `resource.labels.bucket_name`, protoPayload.authenticationInfo.principalEmail, protoPayload.requestMetadata.callerIp, protoPayload.serviceData.policyDelta.bindingDeltas
| filter protoPayload.methodName = "storage.setIamPermissions"
| filter not (ispresent(protoPayload.status.code))
| sort @timestamp desc
| limit 10000
