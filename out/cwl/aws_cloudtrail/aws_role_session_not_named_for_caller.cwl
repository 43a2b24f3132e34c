# Panther rule Sample.AWS.STS.RoleSessionNotNamedForCaller (rules/aws_cloudtrail/aws_role_session_not_named_for_caller.yml + rules/aws_cloudtrail/aws_role_session_not_named_for_caller.py)
# Sample: Role Session Not Named for the Caller
# A user assumed a role of the same account under a session name that does not start with the user's own name. Session names that hide who assumed a role make the trail harder to follow.
# fidelity: exact
fields @timestamp
| fields if(ispresent(recipientAccountId), 1, 0) as RecipientAccountIdIsPresent, if(ispresent(requestParameters.roleArn), 1, 0) as RoleArnIsPresent, if(ispresent(requestParameters.roleSessionName), 1, 0) as RoleSessionNameIsPresent
| filter eventName = "AssumeRole"
| filter eventSource = "sts.amazonaws.com"
| filter (RecipientAccountIdIsPresent = 1 and ((RoleArnIsPresent = 1 and startsWith(requestParameters.roleArn, concat("arn:aws:iam::", recipientAccountId, ":")) = 1) or (RoleArnIsPresent = 0 and startsWith("arn:aws:iam::unknown", concat("arn:aws:iam::", recipientAccountId, ":")) = 1))) or (RecipientAccountIdIsPresent = 0 and RoleArnIsPresent = 1 and startsWith(requestParameters.roleArn, "arn:aws:iam::None:") = 1)
| filter (not (isempty(userIdentity.userName)) and startsWith(userIdentity.userName, ".") = 0 and (RoleSessionNameIsPresent = 0 or startsWith(requestParameters.roleSessionName, regexReplace(userIdentity.userName, "(?s)[.].*", "")) = 0)) or (not (ispresent(userIdentity.userName)) and (startsWith(requestParameters.roleSessionName, "unknown") = 0 or RoleSessionNameIsPresent = 0))
| sort @timestamp desc
| limit 10000
