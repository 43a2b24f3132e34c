# Panther rule Sample.Proof.PolicyWildcardAction (rules/target_proof/aws_policy_wildcard_action.yml + rules/target_proof/aws_policy_wildcard_action.py)
# Sample: IAM Policy Grants Every Action
# A policy document granting "Action": "*" was created, or the root user changed something from the AWS CLI. Pins multi-line regex search and mixed and/or precedence in every target.
# fidelity: exact
fields @timestamp, eventName
| filter (eventName = "CreatePolicy" and requestParameters.policyDocument =~ /"Action": ?"\*"/) or (userAgent =~ /^aws-cli\x2f/ and userIdentity.type = "Root")
| sort @timestamp desc
| limit 10000
