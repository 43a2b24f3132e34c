# Sample rule: a user was made an Asana workspace or organization admin (Asana.Audit: no Sentinel
# connector ships Asana logs, so the KQL reads the custom-log table Asana_Audit_CL, whose columns are
# the log's top-level keys).
# Constructs exercised:
#   - a top-level string key (a string column of the custom-log table)
#   - nested keys inside a top-level object (a dynamic column: details.new_value)
#   - `in` a tuple constant; `!=` on a nested key that may be missing


ADMIN_ROLES = ("admin", "super_admin")


def rule(event):
    if event.get("event_type") != "user_workspace_admin_role_changed":
        return False
    if event.deep_get("details", "new_value") not in ADMIN_ROLES:
        return False
    # an SCIM/API provisioning change is expected
    return event.deep_get("context", "context_type") != "api"


def title(event):
    return f"Asana user [{event.deep_get('resource', 'email')}] granted [{event.deep_get('details', 'new_value')}]"


def alert_context(event):
    return {
        "actor": event.deep_get("actor", "email"),
        "target": event.deep_get("resource", "email"),
        "new_role": event.deep_get("details", "new_value"),
    }
