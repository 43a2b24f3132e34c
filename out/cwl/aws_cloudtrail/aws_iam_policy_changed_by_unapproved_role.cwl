# Panther rule Sample.AWS.CloudTrail.IAMPolicyChangedByUnapprovedRole (rules/aws_cloudtrail/aws_iam_policy_changed_by_unapproved_role.yml + rules/aws_cloudtrail/aws_iam_policy_changed_by_unapproved_role.py)
# Sample: IAM Policy Changed Outside the Approved Roles
# An inline or managed policy was put on or attached to an IAM role or user by a principal that is not a session of one of the approved administration roles (IAMAdmin, Terraform).
# fidelity: exact
fields @timestamp, eventName, userIdentity.arn
| filter eventName in ["AttachRolePolicy", "AttachUserPolicy", "PutRolePolicy", "PutUserPolicy"]
| filter isempty(errorCode)
| filter not (ispresent(userIdentity.sessionContext.sessionIssuer.arn)) or ((userIdentity.sessionContext.sessionIssuer.arn =~ /[\x0a-\x0d\x85‧-‰]$/ or not (userIdentity.sessionContext.sessionIssuer.arn =~ /:role\x2fIAMAdmin(-[a-z]+)?\n?$|:role\x2fTerraform[A-Za-z]*\n?$/)) and (userIdentity.sessionContext.sessionIssuer.arn =~ /[\x0a-\x0d\x85‧-‰][\x0a-\x0d\x85‧-‰]$/ or not (userIdentity.sessionContext.sessionIssuer.arn =~ /:role\x2fIAMAdmin(-[a-z]+)?\n$|:role\x2fTerraform[A-Za-z]*\n$/)))
| sort @timestamp desc
| limit 10000
