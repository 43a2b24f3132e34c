"""Okta System Log helpers for this project's sample rules."""

from panther_base_helpers import deep_get


def okta_alert_context(event):
    """The standard alert context for Okta System Log rules."""
    return {
        "event_type": event.get("eventType", "<MISSING_EVENT_TYPE>"),
        "actor": deep_get(event, "actor", "alternateId", default="<MISSING_ACTOR>"),
        "outcome": deep_get(event, "outcome", "result", default="<MISSING_OUTCOME>"),
        "client_ip": deep_get(event, "client", "ipAddress", default="<MISSING_IP>"),
        "target": event.get("target", []),
        "authentication_context": event.get("authenticationContext", {}),
    }
