# Constructs: json.loads of a string field inside try/except (JSONDecodeError, TypeError), .get chains
# on the parsed value, case folding, a helper function guarded by `if x`.
import json

ROLE_ASSIGNMENT_WRITE = "microsoft.authorization/roleassignments/write"


def parse_request_body(event):
    body = event.deep_get("properties", "requestbody", default="")
    if not body:
        return None
    try:
        return json.loads(body)
    except (json.JSONDecodeError, TypeError):
        return None


def principal_type(event):
    body = parse_request_body(event)
    return body.get("properties", {}).get("principalType") if body else None


def rule(event):
    if event.get("operationName", "").lower() != ROLE_ASSIGNMENT_WRITE:
        return False
    if event.get("resultType") != "Success":
        return False
    return principal_type(event) == "ForeignGroup" or principal_type(event) == "Guest"
