# Sample rule: data unloaded to an external URL (Snowflake.QueryHistory).
# Constructs exercised:
#   - YARA-L over the SNOWFLAKE default parser (shared label, declared fallback for every column)
#   - substring tests on an upper-cased field


def rule(event):
    text = event.get("QUERY_TEXT", "").upper()
    return (
        event.get("QUERY_TYPE") == "UNLOAD"
        and event.get("EXECUTION_STATUS") == "SUCCESS"
        and ("'S3://" in text or "'GCS://" in text or "'AZURE://" in text)
    )


def title(event):
    return f"Snowflake user [{event.get('USER_NAME')}] unloaded data to an external URL"
