# Panther rule Sample.Duo.Admin.LockoutThresholdRaised (rules/duo/duo_admin_lockout_threshold_raised.yml + rules/duo/duo_admin_lockout_threshold_raised.py)
# Sample: Duo Administrator Raised a Lockout Threshold
# A Duo administrator allowed a user more than ten failed attempts before the account locks, which makes password guessing against that account easier.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on a parsed JSON document itself (a map, a list or an empty value in Logs Insights) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, username, object, jsonParse(description) as jsonDescription
| filter action = "user_update"
| filter jsonDescription.lockout.`max_attempts` > 10
| sort @timestamp desc
| limit 10000
