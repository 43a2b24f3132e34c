DENIED = {401, 403}


def rule(event):
    # recipients of a share read through their own service; a denied read is worth a look
    if event.get("serviceName") not in ("deltaSharingAccess", "unityCatalog"):
        return False
    if event.deep_get("response", "statusCode") not in DENIED:
        return False
    return event.get("actionName", "").startswith("deltaSharing")


def title(event):
    return f"Databricks share read denied for {event.deep_get('userIdentity', 'email', default='<unknown>')}"
