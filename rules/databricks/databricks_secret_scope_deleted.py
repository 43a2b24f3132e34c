DELETIONS = {"deleteScope", "deleteSecret"}


def rule(event):
    if event.get("serviceName") != "secrets":
        return False
    if event.get("actionName") not in DELETIONS:
        return False
    return event.deep_get("response", "statusCode") == 200


def title(event):
    scope = event.deep_get("requestParams", "scope", default="<unknown scope>")
    return f"Databricks secret scope [{scope}] changed by {event.deep_get('userIdentity', 'email')}"
