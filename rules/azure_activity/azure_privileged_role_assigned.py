# Sample rule: an Azure RBAC role assignment granting Owner, User Access Administrator or Contributor.
# Constructs exercised:
#   - json.loads of a string field (properties.responseBody) followed by chained .get(...)
#   - .upper() / .lower() compared with `==`
#   - str.rsplit("/", 1)[-1]; constant dict lookup CONST.get(x) compared with `is not None`
#   - title() f-string using the same lookup; inline alert_context()
import json

PRIVILEGED_ROLE_DEFINITIONS = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
}


def role_definition_guid(event):
    body = json.loads(event.deep_get("properties", "responseBody", default="{}"))
    role_definition_id = body.get("properties", {}).get("roleDefinitionId", "")
    return role_definition_id.rsplit("/", 1)[-1].lower()


def rule(event):
    if not event.get("operationName", "").upper() == "MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE":
        return False
    if not event.get("resultType", "").lower() == "success":
        return False
    return PRIVILEGED_ROLE_DEFINITIONS.get(role_definition_guid(event)) is not None


def title(event):
    role = PRIVILEGED_ROLE_DEFINITIONS.get(role_definition_guid(event), "<UNKNOWN_ROLE>")
    return f"Azure role [{role}] assigned by [{event.deep_get('identity', 'claims', 'name')}]"


def alert_context(event):
    return {
        "caller": event.deep_get("identity", "claims", "name"),
        "callerIpAddress": event.get("callerIpAddress"),
        "resourceId": event.get("resourceId"),
        "responseBody": event.deep_get("properties", "responseBody"),
    }
