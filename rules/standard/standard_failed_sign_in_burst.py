# Sample rule over two log types with a threshold: a burst of failed sign-ins across two identity
# providers (password spraying often tries both).
# Constructs exercised:
#   - event.udm("event_type") by a data-model Method on both log types (okta_data_model.py /
#     azure_signin_data_model.py)
#   - a threshold (Threshold / DedupPeriodMinutes) without dedup() and with a constant title: Panther
#     counts every matching event of both log types in one window
#   - alert_context() outputs that exist on one log type each (client.ipAddress on Okta,
#     properties.ipAddress on Entra ID): each branch of the union projects its own, collected per window


def rule(event):
    return event.udm("event_type") == "failed_login"


def title(event):
    return "Burst of failed sign-ins across Okta and Entra ID"


def alert_context(event):
    return {
        "okta_client_ip": event.deep_get("client", "ipAddress"),
        "entra_client_ip": event.deep_get("properties", "ipAddress"),
    }
