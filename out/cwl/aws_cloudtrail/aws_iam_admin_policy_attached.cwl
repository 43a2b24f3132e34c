# Panther rule Sample.AWS.CloudTrail.AdminPolicyAttached (rules/aws_cloudtrail/aws_iam_admin_policy_attached.yml + rules/aws_cloudtrail/aws_iam_admin_policy_attached.py)
# Sample: Administrator Policy Attached to IAM Principal
# The AWS managed AdministratorAccess or IAMFullAccess policy was attached to an IAM user, group or role. Either grants the principal control of the whole account.
# fidelity: exact
fields @timestamp, requestParameters.policyArn, requestParameters.userName, requestParameters.groupName, requestParameters.roleName, userIdentity.arn
| filter eventName in ["AttachGroupPolicy", "AttachRolePolicy", "AttachUserPolicy"]
| filter not (requestParameters.policyArn =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter requestParameters.policyArn =~ /:policy\x2fAdministratorAccess$|:policy\x2fIAMFullAccess$/
| filter isempty(errorCode)
| sort @timestamp desc
| limit 10000
