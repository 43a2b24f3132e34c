# Panther rule Sample.OneLogin.AccountLockedByAdmin (rules/target_proof/onelogin_account_locked_by_admin.yml + rules/target_proof/onelogin_account_locked_by_admin.py)
# Sample: OneLogin Account Locked by an Administrator
# A OneLogin user account was locked or suspended (event types 13 and 20) by someone other than an automation account.
# fidelity: exact
fields @timestamp
| filter `event_type_id` in [13, 20]
| filter not (ispresent(`actor_user_name`)) or not (`actor_user_name` =~ /\(automation\)$/) or `actor_user_name` =~ /[\x0a-\x0d\x85‧-‰]$/
| sort @timestamp desc
| limit 10000
