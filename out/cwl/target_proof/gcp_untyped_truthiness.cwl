# Panther rule Sample.Proof.DelegatedPolicyChange (rules/target_proof/gcp_untyped_truthiness.yml + rules/target_proof/gcp_untyped_truthiness.py)
# Sample: GCP IAM Policy Changed Through Delegation
# An IAM policy was set through service account delegation and the response carries no error.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on protoPayload.authenticationInfo.serviceAccountDelegationInfo (a list in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
# target-unsupported-construct: cwl: a test on protoPayload.response.error (a JSON object in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp
| filter protoPayload.methodName = "SetIamPolicy"
| sort @timestamp desc
| limit 10000
