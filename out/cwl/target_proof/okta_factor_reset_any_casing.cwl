# Panther rule Sample.Okta.FactorResetAnyCasing (rules/target_proof/okta_factor_reset_any_casing.yml + rules/target_proof/okta_factor_reset_any_casing.py)
# Sample: Okta MFA Factor Reset (keys in any casing)
# An Okta user's MFA factors were reset or one was deactivated. The test logs spell some keys in lower or upper case, which Panther's event lookup finds whatever their casing.
# fidelity: exact
fields @timestamp
| fields if(ispresent(eventType), 1, 0) as EventTypeIsPresent
| filter eventType in ["user.mfa.factor.deactivate", "user.mfa.factor.reset_all"] or (EventTypeIsPresent = 0 and eventtype in ["user.mfa.factor.deactivate", "user.mfa.factor.reset_all"])
| filter outcome.result = "SUCCESS" or (not (ispresent(outcome.result)) and outcome.RESULT = "SUCCESS")
| filter (EventTypeIsPresent = 1 and eventType != "user.mfa.factor.deactivate") or (EventTypeIsPresent = 0 and (not (ispresent(eventtype)) or eventtype != "user.mfa.factor.deactivate")) or not (ispresent(severity)) or severity != "DEBUG"
| sort @timestamp desc
| limit 10000
