# Panther rule Sample.AWS.CloudTrail.RootConsoleLoginWithoutMFA (rules/aws_cloudtrail/aws_root_console_login_no_mfa.yml + rules/aws_cloudtrail/aws_root_console_login_no_mfa.py)
# Sample: AWS Root Console Login Without MFA
# The AWS account root user signed in to the AWS Management Console successfully without multi-factor authentication. The root user should be protected by MFA and used only for the handful of tasks that require it.
# fidelity: exact
fields @timestamp, sourceIPAddress, userAgent, recipientAccountId, additionalEventData.MFAUsed
| filter eventName = "ConsoleLogin"
| filter responseElements.ConsoleLogin = "Success"
| filter userIdentity.type = "Root"
| filter not (ispresent(additionalEventData.MFAUsed)) or additionalEventData.MFAUsed != "Yes"
| sort @timestamp desc
| limit 10000
