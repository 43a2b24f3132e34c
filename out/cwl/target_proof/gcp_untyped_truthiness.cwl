# Panther rule Sample.Proof.DelegatedPolicyChange (rules/target_proof/gcp_untyped_truthiness.yml + rules/target_proof/gcp_untyped_truthiness.py)
# Sample: GCP IAM Policy Changed Through Delegation
# An IAM policy was set through service account delegation and the response carries no error.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on protoPayload.response.error (a JSON object in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, jsonParse(@message) as jsonMessage
| unnest jsonMessage.protoPayload.authenticationInfo.serviceAccountDelegationInfo into serviceAccountDelegationInfoItem
| filter ispresent(serviceAccountDelegationInfoItem)
| filter protoPayload.methodName = "SetIamPolicy"
| sort @timestamp desc
| limit 10000
