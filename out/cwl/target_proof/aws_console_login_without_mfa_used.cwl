# Panther rule Sample.Proof.ConsoleLoginWithoutMFAUsed (rules/target_proof/aws_console_login_without_mfa_used.yml + rules/target_proof/aws_console_login_without_mfa_used.py)
# Sample: Console Login Without MFA
# A successful console login without MFA. The rule spells CloudTrail's keys in another case than the events carry them (mfaUsed for MFAUsed): Panther finds them, so every target must too.
# fidelity: exact
fields @timestamp, sourceIPAddress
| filter additionalEventData.mfaUsed = "No" or (not (ispresent(additionalEventData.mfaUsed)) and additionalEventData.MFAUsed = "No")
| filter eventName = "ConsoleLogin"
| filter responseElements.consoleLogin = "Success" or (not (ispresent(responseElements.consoleLogin)) and responseElements.ConsoleLogin = "Success")
| sort @timestamp desc
| limit 10000
