# Sample rule over two log types through data models: a break-glass (emergency) account signed in.
# Constructs exercised:
#   - event.udm("event_type") resolved by a data-model Method (okta_data_model.py /
#     azure_signin_data_model.py), event.udm("actor_user") / event.udm("source_ip") by data-model
#     Paths that differ per log type ($.actor.alternateId vs $.properties.userPrincipalName)
#   - isinstance(x, str); .lower() then `in CONST` (set)
#   - title() f-string and inline alert_context() on udm fields

BREAK_GLASS_ACCOUNTS = {"breakglass-01@example.com", "breakglass-02@example.com"}


def rule(event):
    if event.udm("event_type") != "successful_login":
        return False
    user = event.udm("actor_user")
    if not isinstance(user, str):
        return False
    return user.lower() in BREAK_GLASS_ACCOUNTS


def title(event):
    return f"Break-glass account [{event.udm('actor_user')}] signed in from [{event.udm('source_ip')}]"


def alert_context(event):
    return {
        "actor_user": event.udm("actor_user"),
        "source_ip": event.udm("source_ip"),
        "user_agent": event.udm("user_agent"),
        "log_type": event.get("p_log_type"),
    }
