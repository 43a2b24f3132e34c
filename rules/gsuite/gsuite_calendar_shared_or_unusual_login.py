# Sample rule: a calendar's access list was changed to grant the public principal, or a user logged in
# with a login type outside the approved ones.
# Constructs exercised:
#   - a parameter read as a YARA-L label map entry (login_type: security_result.detection_fields),
#     negated membership in a constant tuple
#   - a parameter read from a repeated UDM string field (grantee_email: target.user.email_addresses)

APPROVED_LOGIN_TYPES = ("google_password", "saml")
PUBLIC_CALENDAR_PRINCIPAL = "__public_principal__@public.calendar.google.com"


def rule(event):
    if event.get("name") == "change_calendar_acls":
        return event.deep_get("parameters", "grantee_email") == PUBLIC_CALENDAR_PRINCIPAL
    if event.get("type") == "login" and event.get("name") == "login_success":
        return event.deep_get("parameters", "login_type") not in APPROVED_LOGIN_TYPES
    return False


def title(event):
    return f"Google Workspace: [{event.get('name')}] by [{event.deep_get('actor', 'email')}]"
