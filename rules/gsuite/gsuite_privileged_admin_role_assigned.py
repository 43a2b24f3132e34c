# Sample rule: a Google Workspace admin role outside the low-privilege allowlist was assigned.
# Constructs exercised:
#   - module constant: a set
#   - if/early-return chain, local variable, `return <expr>`
#   - event.deep_get("a", "b"), event.get(k)
#   - `!=`, `is not None`, `not in CONST`, `and`
#   - a test log where the field used by the condition (parameters.ROLE_NAME) is missing entirely
#   - alert_context() returning an inline dict

LOW_PRIVILEGE_ROLES = {"_HELP_DESK_ADMIN_ROLE", "_GROUPS_READER_ROLE", "Calendar Reader"}


def rule(event):
    if event.deep_get("id", "applicationName") != "admin":
        return False
    if event.get("name") != "ASSIGN_ROLE":
        return False
    role = event.deep_get("parameters", "ROLE_NAME")
    return role is not None and role not in LOW_PRIVILEGE_ROLES


def alert_context(event):
    return {
        "actor": event.deep_get("actor", "email"),
        "role": event.deep_get("parameters", "ROLE_NAME"),
        "assignee": event.deep_get("parameters", "USER_EMAIL"),
        "ip": event.get("ipAddress"),
    }
