# Sample rule: a grant to PUBLIC (Snowflake.GrantsToRoles and Snowflake.GrantsToUsers).
# Constructs exercised:
#   - one rule over two log types on one ingestion label (SNOWFLAKE: target-shared-base-filter for
#     each); GRANTEE_NAME and DELETED_ON keep the declared fallback: approximate
#   - `is None` of a column


def rule(event):
    return event.get("GRANTEE_NAME") == "PUBLIC" and event.get("DELETED_ON") is None


def title(event):
    return f"Snowflake grant of [{event.get('NAME') or event.get('ROLE')}] to PUBLIC"
