# Sample rule: a Duo administrator set a user's status to "disabled".
# Constructs exercised:
#   - json.loads of a string field, then a key membership test on the parsed document beside a test on
#     that key's value (Logs Insights has no test of a key of a parsed document; the value test, false
#     where the key is missing, implies it: cwl/printer.ts impliedKey)
import json


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
    if "status" in details:
        return details.get("status") == "Disabled"
    return False


def title(event):
    return f"Duo administrator [{event.get('username')}] disabled [{event.get('object')}]"
