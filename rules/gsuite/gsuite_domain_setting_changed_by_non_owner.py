# Sample rule: a domain setting was changed by an admin who does not own the customer's domains.
# Constructs exercised:
#   - a helper loop over an event list returning the first matching item (`return detail`),
#     else {}: only its truth is read (each returned item is a non-empty object)
#   - a helper returning None where the actor is missing, `.lower()` on it: AttributeError,
#     rule() raises, no alert
#   - an empty constant dict looked up by an event value: the default (TypeError where the key is
#     a list or an object)

CHANGE_EVENTS = ["CHANGE_DOMAIN_SETTING", "CHANGE_ALLOWED_DOMAINS"]

# customer id -> the admins allowed to change its domain settings (none configured here)
DOMAIN_OWNERS = {}


def setting_change(event):
    for detail in event.get("events", []):
        if detail.get("type") == "DOMAIN_SETTINGS" and detail.get("name") in CHANGE_EVENTS:
            return detail
    return {}


def actor(event):
    email = event.deep_get("actor", "email")
    if not email:
        return None
    return email


def rule(event):
    if event.deep_get("id", "applicationName") != "admin":
        return False
    if not setting_change(event):
        return False
    admin = actor(event).lower()
    return admin not in DOMAIN_OWNERS.get(event.deep_get("id", "customerId"), [])
