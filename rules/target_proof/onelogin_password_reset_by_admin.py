# Sample rule: a OneLogin user's password reset by an administrator, where some collectors deliver the
# event type as text ("11") and others as the int OneLogin's API gives (11).
# Constructs exercised:
#   - str() of a field the mapping types as an integer while the tests also hold it as a string: Sigma
#     reads either (`event_type_id|cased: '11'` or `event_type_id: 11`); a text no int prints as ("011")
#     only matches the string
RESET_EVENTS = ("11", "011")


def rule(event):
    return str(event.get("event_type_id")) in RESET_EVENTS and event.get("actor_user_id") is not None
