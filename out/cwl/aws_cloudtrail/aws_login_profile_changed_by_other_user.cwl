# Panther rule Sample.AWS.CloudTrail.LoginProfileChangedByOtherUser (rules/aws_cloudtrail/aws_login_profile_changed_by_other_user.yml + rules/aws_cloudtrail/aws_login_profile_changed_by_other_user.py)
# Console Password Changed by Another User
# An IAM user's console login profile was created or changed by a different principal.
# fidelity: approximate
# target-unsupported-construct: cwl: a string test between two fields cannot be expressed in Logs Insights; replaced by its superset
# target-unsupported-construct: cwl: a test on userIdentity.sessionContext.tags (a list in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, eventName, userIdentity.arn
| filter eventName in ["CreateLoginProfile", "UpdateLoginProfile"]
| filter isempty(errorCode)
| filter isempty(errorMessage)
| sort @timestamp desc
| limit 10000
