# Sample rule: a Login-As event (Salesforce.LoginAs and Salesforce.RealtimeEvent).
# Constructs exercised:
#   - one rule over two log types on one ingestion label (SALESFORCE, which also carries the other
#     Salesforce events: target-shared-base-filter, declared once per log type); EVENT_TYPE keeps the
#     declared fallback (the parser table names other fields for metadata.product_event_type)
#   - `in` a tuple constant


def rule(event):
    return event.get("EVENT_TYPE") in ("LoginAs", "LoginAsEvent")


def title(event):
    return f"Salesforce Login-As in org [{event.get('ORGANIZATION_ID')}]"
