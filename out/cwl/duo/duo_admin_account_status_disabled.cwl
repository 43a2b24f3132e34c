# Panther rule Sample.Duo.Admin.AccountStatusDisabled (rules/duo/duo_admin_account_status_disabled.yml + rules/duo/duo_admin_account_status_disabled.py)
# Sample: Duo Administrator Disabled a User
# A Duo administrator set a user's status to disabled, which blocks the user's logins.
# fidelity: exact
fields @timestamp, username, object, jsonParse(description) as jsonDescription
| filter action = "user_update"
| filter description =~ /^\{/
| filter jsonDescription.status = "Disabled"
| sort @timestamp desc
| limit 10000
