# Sample rule: an Okta administrator reset the MFA factors of another user.
# Constructs exercised (list comprehensions over an event list):
#   - [t.get("alternateId") for t in event.get("target", []) if t.get("type") == "User"]
#   - the comprehension used with `len(...) > 0`, with `not in`, and inside any([...])
#   - local variables; early-return chain; title() f-string; inline alert_context()

RESET_EVENTS = ("user.mfa.factor.reset_all", "user.mfa.factor.deactivate")


def rule(event):
    if event.get("eventType") not in RESET_EVENTS:
        return False
    if event.deep_get("outcome", "result") != "SUCCESS":
        return False
    targets = event.get("target", [])
    target_users = [t.get("alternateId") for t in targets if t.get("type") == "User"]
    if not len(target_users) > 0:
        return False
    # the Okta end-user dashboard reset (self-service) names an AppInstance target too
    if any([t.get("type") == "AppInstance" and t.get("displayName") == "Okta Dashboard" for t in targets]):
        return False
    return event.deep_get("actor", "alternateId") not in target_users


def title(event):
    return (
        f"[{event.deep_get('actor', 'alternateId', default='<UNKNOWN_ACTOR>')}] reset MFA "
        f"for another Okta user ({event.get('eventType')})"
    )


def alert_context(event):
    return {
        "actor": event.deep_get("actor", "alternateId"),
        "targets": event.get("target", []),
        "client_ip": event.deep_get("client", "ipAddress"),
    }
