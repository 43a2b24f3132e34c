# Panther rule Sample.GSuite.CalendarSharedOrUnusualLogin (rules/gsuite/gsuite_calendar_shared_or_unusual_login.yml + rules/gsuite/gsuite_calendar_shared_or_unusual_login.py)
# Sample: Google Workspace Calendar Made Public or Unusual Login Type
# A Google Calendar's access list was changed to grant the public principal, or a user logged in with a login type other than a Google password or SAML.
# fidelity: exact
fields @timestamp
| filter (name = "change_calendar_acls" and `parameters.grantee_email` = "__public_principal__@public.calendar.google.com") or (name = "login_success" and type = "login" and (not (ispresent(`parameters.login_type`)) or not (`parameters.login_type` in ["google_password", "saml"])))
| sort @timestamp desc
| limit 10000
