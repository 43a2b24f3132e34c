# Panther rule Sample.Okta.MFAResetForOtherUser (rules/okta/okta_mfa_reset_for_other_user.yml + rules/okta/okta_mfa_reset_for_other_user.py)
# Sample: Okta MFA Factors Reset for Another User
# An administrator reset or deactivated the MFA factors of a different user. An attacker with help desk privileges can reset a victim's factors and enrol their own device.
# fidelity: approximate
# target-quantifier: cwl: any()/all() over a list is not expressed in Logs Insights; replaced by its superset
fields @timestamp, actor.alternateId, target, client.ipAddress, jsonParse(@message) as jsonMessage
| unnest jsonMessage.target into targetItem
| filter eventType in ["user.mfa.factor.deactivate", "user.mfa.factor.reset_all"]
| filter outcome.result = "SUCCESS"
| filter targetItem.type = "User"
| sort @timestamp desc
| limit 10000
