# Sample rule: an OpenAI API key was created or updated with a broad scope (OpenAI.Audit).
# Constructs exercised:
#   - the same any() over two fields that Sentinel keeps in one column (api_key_created and
#     api_key_updated are both EventDetails): KQL counts it once and reads the count in both branches
#   - `if s` before a case-insensitive membership in non-empty, non-numeric texts: the membership already
#     says the scope is truthy, so the KQL query leaves the truthiness test out

BROAD_SCOPES = {"all", "admin", "organization:write", "api_keys:write"}


def rule(event):
    kind = event.get("type")
    if kind == "api_key.created":
        scopes = event.deep_get("api_key_created", "data", "scopes", default=[])
    elif kind == "api_key.updated":
        scopes = event.deep_get("api_key_updated", "data", "scopes", default=[])
    else:
        return False
    return any(s.lower() in BROAD_SCOPES for s in scopes if s)


def title(event):
    return f"OpenAI API key with a broad scope: {event.get('type')}"
