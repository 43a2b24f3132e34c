# Sample rule: a Duo administrator created bypass codes (Duo.Administrator, read from the Sentinel
# table CiscoDuo_CL, which holds every Duo log: the mapping selects the administrator rows).
# Constructs exercised:
#   - `in` a set constant; substring test on a missing-safe default


BYPASS_ACTIONS = {"bypass_create", "bypass_view"}


def rule(event):
    return event.get("action") in BYPASS_ACTIONS and "api" not in event.get("description", "")


def title(event):
    return f"Duo administrator [{event.get('username')}] used bypass codes for [{event.get('object')}]"
