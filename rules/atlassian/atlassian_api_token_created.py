# Sample rule: an organization admin created an API token (Atlassian.Audit).
# Constructs exercised:
#   - YARA-L over the ATLASSIAN_AUDIT default parser: its documentation names no UDM field for these keys,
#     so they keep the declared fallback (additional.fields["attributes.action"]), and the parser also
#     reads Jira log lines (target-shared-base-filter): approximate
#   - `event.deep_get` with a default; `str.endswith`


def rule(event):
    action = event.deep_get("attributes", "action", default="")
    return action == "api_token_created" and event.deep_get("attributes", "actor", "email", default="").endswith("@example.com")


def title(event):
    return f"[{event.deep_get('attributes', 'actor', 'email')}] created an Atlassian API token"
