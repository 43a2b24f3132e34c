# Sample rule: a stage was dropped (Snowflake.QueryHistory).
# Constructs exercised:
#   - a regex with Python's Unicode \s between keywords and a negated class holding \s (Logs Insights:
#     U+2028 and U+2029, which no class there can name, as the class of all but the code points around
#     them, and a negated class holding both as the positive class of its complement: common/regex.ts)
import re

DROP_STAGE = re.compile(r"^\s*DROP\s+STAGE\s+(?:IF\s+EXISTS\s+)?[^\s;]+", re.IGNORECASE)


def rule(event):
    return event.get("EXECUTION_STATUS") == "SUCCESS" and bool(DROP_STAGE.search(event.get("QUERY_TEXT", "")))


def title(event):
    return f"Snowflake user [{event.get('USER_NAME')}] dropped a stage"
