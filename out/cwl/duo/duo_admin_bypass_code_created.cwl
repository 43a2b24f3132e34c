# Panther rule Sample.Duo.Admin.BypassCodeCreated (rules/duo/duo_admin_bypass_code_created.yml + rules/duo/duo_admin_bypass_code_created.py)
# Sample: Duo Administrator Created Bypass Codes
# A Duo administrator created or viewed bypass codes outside an API integration.
# fidelity: exact
fields @timestamp, username, object
| filter action in ["bypass_create", "bypass_view"]
| filter not (ispresent(description)) or not (description like "api")
| sort @timestamp desc
| limit 10000
