# Sample rule: a transfer to another cloud provider (Snowflake.DataTransferHistory).
# Constructs exercised:
#   - YARA-L over the SNOWFLAKE default parser (shared label, declared fallback for every column)
#   - `==` and `!=` against constants, the truthiness of a column


def rule(event):
    return bool(event.get("TARGET_CLOUD")) and event.get("SOURCE_CLOUD") == "AWS" and event.get("TARGET_CLOUD") != "AWS"


def title(event):
    return f"Snowflake transfer from AWS to [{event.get('TARGET_CLOUD')}]"
