# Panther rule Sample.Standard.MFAFactorsReset (rules/standard/standard_mfa_factors_reset.yml + rules/standard/standard_mfa_factors_reset.py)
# Sample: All MFA Factors of a User Reset
# Every MFA factor of a user was reset at once. An attacker who took over a help-desk or admin account can reset a victim's factors and enroll their own.
# log types: Okta.SystemLog, Azure.Audit (one query each, to run over that log type's log groups: the filters differ)
# fidelity: exact
# query 1 of 2: Okta.SystemLog
fields @timestamp
| filter eventType = "user.mfa.factor.reset_all"
| sort @timestamp desc
| limit 10000
# query 2 of 2: Azure.Audit
fields @timestamp
| filter 1 = 0
| sort @timestamp desc
| limit 10000
