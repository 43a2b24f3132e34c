"""Data model methods for Entra ID (Azure AD) sign-in logs (sample data model for panther-transpile)."""

from panther_base_helpers import deep_get


def get_event_type(event):
    if event.get("category") != "SignInLogs":
        return None
    error_code = deep_get(event, "properties", "status", "errorCode")
    if error_code == 0:
        return "successful_login"
    if error_code is not None:
        return "failed_login"
    return None
