# Panther rule Sample.AWS.CloudTrail.ConsoleLoginMFANotYes (rules/aws_cloudtrail/aws_console_login_mfa_not_yes.yml + rules/aws_cloudtrail/aws_console_login_mfa_not_yes.py)
# Sample: Console Login With MFAUsed Not Yes
# A console sign-in event whose additionalEventData.MFAUsed is not "Yes".
# fidelity: exact
fields @timestamp
| filter eventName = "ConsoleLogin"
| filter not (ispresent(additionalEventData.MFAUsed)) or additionalEventData.MFAUsed != "Yes"
| sort @timestamp desc
| limit 10000
