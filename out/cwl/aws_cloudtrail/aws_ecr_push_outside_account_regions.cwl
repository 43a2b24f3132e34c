# Panther rule Sample.AWS.ECR.PushOutsideAccountRegions (rules/aws_cloudtrail/aws_ecr_push_outside_account_regions.yml + rules/aws_cloudtrail/aws_ecr_push_outside_account_regions.py)
# Sample: ECR Image Pushed Outside the Account's Regions
# An image was pushed to ECR in a region the account does not normally push from, by a principal other than the CI build roles.
# fidelity: exact
fields @timestamp, recipientAccountId, awsRegion, userIdentity.userName
| fields if(recipientAccountId = "111122223333", 1, 0) as RecipientAccountIdIs111122223333, if(isempty(userIdentity.userName), 1, 0) as UserNameIsEmpty
| filter eventName = "PutImage"
| filter eventSource = "ecr.amazonaws.com"
| filter recipientAccountId in ["111122223333", "444455556666"]
| filter not (ispresent(awsRegion)) or ((RecipientAccountIdIs111122223333 = 1 or awsRegion != "eu-west-1") and (not (awsRegion in ["us-east-1", "us-west-2"]) or RecipientAccountIdIs111122223333 = 0))
| filter ((UserNameIsEmpty = 0 or not (userIdentity.sessionContext.sessionIssuer.userName =~ /(?i)^c(?-i:[Ii])-/)) and (not (userIdentity.userName =~ /(?i)^c(?-i:[Ii])-/) or UserNameIsEmpty = 1)) or (isempty(userIdentity.sessionContext.sessionIssuer.userName) and UserNameIsEmpty = 1)
| sort @timestamp desc
| limit 10000
