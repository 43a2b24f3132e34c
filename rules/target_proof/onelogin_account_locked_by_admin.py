# Sample rule: a OneLogin user account locked or suspended by an administrator (not by the user's own
# failed logins).
# Constructs exercised:
#   - str() of a field the mapping types as an integer, compared with a list of digit texts
#     (Logs Insights: `event_type_id in [N, M]`, a number test; a text no int prints as never matches)
#   - str() of a field the tests hold only as strings, in a negated suffix test whose field may be
#     missing (str(None) is "None": Python's answer there is kept with ispresent())
LOCK_EVENTS = ("13", "20", "020")


def rule(event):
    if str(event.get("event_type_id")) not in LOCK_EVENTS:
        return False
    return not str(event.get("actor_user_name")).endswith("(automation)")
