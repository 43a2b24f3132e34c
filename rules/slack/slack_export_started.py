# Sample rule: a Slack workspace/organization data export was started.
# Constructs exercised:
#   - event.get(k, default) into a local variable
#   - substring test: `"export" in action`
#   - str.endswith(...) with a single string, `and`
#   - if/early-return chain ending `return False`
#   - alert_context() returning an inline dict using chained event.get("a", {}).get("b")


def rule(event):
    action = event.get("action", "")
    if "export" in action and action.endswith("_started"):
        return True
    return False


def alert_context(event):
    return {
        "action": event.get("action"),
        "actor_email": event.deep_get("actor", "user", "email"),
        "workspace": event.deep_get("entity", "workspace", "domain"),
        "ip_address": event.get("context", {}).get("ip_address"),
    }
