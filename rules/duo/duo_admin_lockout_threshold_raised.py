# Sample rule: a Duo administrator let a user fail more than ten times before the account locks.
# Constructs exercised:
#   - json.loads of a string field, the parsed value tested to be a mapping, then a number read two
#     `.get()` levels inside it and compared (KQL: the comparison alone says the document is a non-empty
#     bag, so the validity, type and non-empty tests beside it are not written: outctx.ts, Reading.held)
import json


def rule(event):
    if event.get("action") != "user_update":
        return False
    try:
        details = json.loads(event.get("description", ""))
    except (json.JSONDecodeError, TypeError):
        return False
    if not isinstance(details, dict):
        return False
    return details.get("lockout", {}).get("max_attempts", 0) > 10


def title(event):
    return f"Duo administrator [{event.get('username')}] raised the lockout threshold of [{event.get('object')}]"
