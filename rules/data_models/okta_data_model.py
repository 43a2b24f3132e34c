"""Data model methods for Okta System Log (sample data model for panther-transpile)."""

SESSION_START = "user.session.start"


def get_event_type(event):
    if event.get("eventType") != SESSION_START:
        return None
    result = event.deep_get("outcome", "result")
    if result == "SUCCESS":
        return "successful_login"
    if result == "FAILURE":
        return "failed_login"
    return None
