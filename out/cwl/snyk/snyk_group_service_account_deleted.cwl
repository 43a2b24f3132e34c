# Panther rule Sample.Snyk.GroupServiceAccountDeleted (rules/snyk/snyk_group_service_account_deleted.yml + rules/snyk/snyk_group_service_account_deleted.py)
# Sample: Snyk Group Service Account Deleted
# A service account of a Snyk group was deleted by a user.
# fidelity: exact
fields @timestamp
| filter event = "group.service_account.delete"
| filter not (isempty(userId))
| sort @timestamp desc
| limit 10000
