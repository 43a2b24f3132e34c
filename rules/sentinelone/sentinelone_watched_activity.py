# Sample rule: a SentinelOne management-console activity whose type is on a watchlist the team keeps
# (SentinelOne.Activity). The type IDs below are placeholders a team would replace with its own.
# Constructs exercised:
#   - YARA-L over the SENTINELONE_ACTIVITY default parser (a label of its own): `activitytype` is
#     `metadata.product_event_type`, which the parser's change log says it copies from activityType
#   - `in` a set of string constants; a test without `activitytype`

WATCHED_TYPES = {"27", "33", "5020"}


def rule(event):
    return event.get("activitytype") in WATCHED_TYPES


def title(event):
    return f"SentinelOne activity [{event.get('activitytype')}] on the watchlist"
