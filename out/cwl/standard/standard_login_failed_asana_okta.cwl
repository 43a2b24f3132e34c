# Panther rule Sample.Standard.LoginFailedAsanaOkta (rules/standard/standard_login_failed_asana_okta.yml + rules/standard/standard_login_failed_asana_okta.py)
# Sample: Failed Asana Sign-In or Okta Lockout
# A user failed to sign in to Asana, or Okta locked an account after failed sign-ins. On its own this is noise; it is a building block for counting failures per user or per address.
# log types: Asana.Audit, Okta.SystemLog (one query each, to run over that log type's log groups: the filters differ)
# fidelity: exact
# query 1 of 2: Asana.Audit
fields @timestamp
| filter `event_type` = "user_login_failed"
| sort @timestamp desc
| limit 10000
# query 2 of 2: Okta.SystemLog
fields @timestamp
| filter eventType = "user.account.lock"
| sort @timestamp desc
| limit 10000
