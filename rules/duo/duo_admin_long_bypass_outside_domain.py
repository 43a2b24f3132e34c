# Sample rule: a Duo administrator put a user of another domain in bypass for more than an hour.
# Constructs exercised:
#   - json.loads of a string field inside try/except, `.get` chains with defaults on the parsed value
#     (Logs Insights: `jsonParse(description) as ...` and attribute access; the validity test implied)
#   - pieces of a split: the domain after the last "@" of a lower-cased value, and the number of pieces
#     (Logs Insights: regexes on the field itself)
import json

TRUSTED_DOMAINS = ["example.com", "example.org"]


def rule(event):
    if event.get("action") != "user_update":
        return False
    description = event.get("description", "")
    if not description.startswith("{"):
        return False
    try:
        details = json.loads(description)
    except json.JSONDecodeError:
        return False
    if details.get("status") != "Bypass":
        return False
    if details.get("bypass_info", {}).get("valid_secs", 0) <= 3600:
        return False
    user = event.get("object", "")
    if len(user.split("@")) != 2:
        return False
    return user.lower().split("@")[-1] not in TRUSTED_DOMAINS


def title(event):
    return f"Duo administrator [{event.get('username')}] put [{event.get('object')}] in bypass"
