# Panther rule Sample.AWS.CloudTrail.LoginProfileChangedByOtherUser (rules/aws_cloudtrail/aws_login_profile_changed_by_other_user.yml + rules/aws_cloudtrail/aws_login_profile_changed_by_other_user.py)
# Console Password Changed by Another User
# An IAM user's console login profile was created or changed by a different principal.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on userIdentity.sessionContext.tags (a list in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, eventName, userIdentity.arn
| fields if(ispresent(requestParameters.userName), 1, 0) as UserNameIsPresent
| filter eventName in ["CreateLoginProfile", "UpdateLoginProfile"]
| filter isempty(errorCode)
| filter isempty(errorMessage)
| filter not (ispresent(userIdentity.arn)) or (UserNameIsPresent = 1 and endsWith(userIdentity.arn, concat("/", requestParameters.userName)) = 0) or (UserNameIsPresent = 0 and endsWith(userIdentity.arn, "/") = 0)
| sort @timestamp desc
| limit 10000
