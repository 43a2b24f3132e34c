# Panther rule Sample.AWS.IAM.AccessKeyForUserOutsideDomain (rules/aws_cloudtrail/aws_access_key_for_user_outside_domain.yml + rules/aws_cloudtrail/aws_access_key_for_user_outside_domain.py)
# Sample: Access Key Created for a User Outside the Actor's Domain
# An IAM user created an access key for a different IAM user whose name (an email address) is not in the actor's own domain. A key handed to an outside party is a common persistence step.
# fidelity: exact
fields @timestamp, userIdentity.arn, responseElements.accessKey.userName, sourceIPAddress
| fields if(ispresent(responseElements.accessKey.userName), 1, 0) as UserNameIsPresent
| filter eventName = "CreateAccessKey"
| filter eventSource = "iam.amazonaws.com"
| filter isempty(errorCode)
| filter not (isempty(userIdentity.userName))
| filter endsWith(userIdentity.userName, "@") = 0
| filter UserNameIsPresent = 0 or endsWith(responseElements.accessKey.userName, regexReplace(userIdentity.userName, "(?s)^.*@", "")) = 0
| filter not (ispresent(userIdentity.arn)) or (UserNameIsPresent = 1 and endsWith(userIdentity.arn, concat("user/", responseElements.accessKey.userName)) = 0) or (UserNameIsPresent = 0 and endsWith(userIdentity.arn, "user/") = 0)
| sort @timestamp desc
| limit 10000
