# Sample rule: a password login without a second factor (Snowflake.LoginHistory).
# Constructs exercised:
#   - YARA-L over the SNOWFLAKE default parser, whose label carries every account-usage view
#     (target-shared-base-filter); every column keeps the declared fallback: approximate
#   - `not` of a field's truthiness


def rule(event):
    return (
        event.get("EVENT_TYPE") == "LOGIN"
        and event.get("IS_SUCCESS") == "YES"
        and event.get("FIRST_AUTHENTICATION_FACTOR") == "PASSWORD"
        and not event.get("SECOND_AUTHENTICATION_FACTOR")
    )


def title(event):
    return f"Snowflake user [{event.get('USER_NAME')}] signed in without MFA"
