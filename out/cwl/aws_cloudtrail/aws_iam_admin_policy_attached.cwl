# Panther rule Sample.AWS.CloudTrail.AdminPolicyAttached (rules/aws_cloudtrail/aws_iam_admin_policy_attached.yml + rules/aws_cloudtrail/aws_iam_admin_policy_attached.py)
# Sample: Administrator Policy Attached to IAM Principal
# The AWS managed AdministratorAccess or IAMFullAccess policy was attached to an IAM user, group or role. Either grants the principal control of the whole account.
# fidelity: approximate
# target-regex-end-anchor: cwl: the end anchor $ of a regex also matches before a final line break in some regex engines (the Logs Insights flavour is not documented); the match may be wider on values ending in a line break
fields @timestamp, requestParameters.policyArn, requestParameters.userName, requestParameters.groupName, requestParameters.roleName, userIdentity.arn
| filter eventName in ["AttachGroupPolicy", "AttachRolePolicy", "AttachUserPolicy"]
| filter requestParameters.policyArn =~ /:policy\x2fAdministratorAccess$/ or requestParameters.policyArn =~ /:policy\x2fIAMFullAccess$/
| filter isempty(errorCode)
| sort @timestamp desc
| limit 10000
