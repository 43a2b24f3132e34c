# Panther rule Sample.Duo.Admin.LockoutThresholdRaised (rules/duo/duo_admin_lockout_threshold_raised.yml + rules/duo/duo_admin_lockout_threshold_raised.py)
# Sample: Duo Administrator Raised a Lockout Threshold
# A Duo administrator allowed a user more than ten failed attempts before the account locks, which makes password guessing against that account easier.
# fidelity: approximate
# target-unproven: cwl: the artifact could not be run on 1 test(s) by its evaluator ('jsonDescription.lockout.max_attempts' reads an attribute of a list: undocumented)
fields @timestamp, username, object, jsonParse(description) as jsonDescription
| filter action = "user_update"
| filter jsonDescription.lockout.`max_attempts` > 10
| sort @timestamp desc
| limit 10000
