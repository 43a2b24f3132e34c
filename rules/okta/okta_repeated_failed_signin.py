# Sample rule: repeated failed Okta sign-ins for one user (threshold rule).
# Constructs exercised:
#   - if/early-return chain ending in `return <expr>`
#   - `!=`, `==`, `is not None`
#   - event.deep_get("a", "b") on a field missing entirely from one test log (outcome)
#   - dedup() returning a field
#   - YAML: Threshold: 5 with DedupPeriodMinutes: 60
#   - alert_context() returning an inline dict


def rule(event):
    if event.get("eventType") != "user.session.start":
        return False
    result = event.deep_get("outcome", "result")
    return result is not None and result == "FAILURE"


def dedup(event):
    return event.deep_get("actor", "alternateId", default="<UNKNOWN_USER>")


def alert_context(event):
    return {
        "user": event.deep_get("actor", "alternateId"),
        "reason": event.deep_get("outcome", "reason"),
        "client_ip": event.deep_get("client", "ipAddress"),
        "city": event.deep_get("client", "geographicalContext", "city"),
    }
