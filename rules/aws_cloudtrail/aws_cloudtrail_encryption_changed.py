# Sample rule: a trail's log file encryption key was changed or removed.
# Constructs exercised:
#   - "key" in a mapping read with a {} default (key membership: Sigma writes the key's presence,
#     requestParameters.kmsKeyId|exists: true, which holds for a null value as the membership does)


def rule(event):
    if event.get("eventSource") != "cloudtrail.amazonaws.com" or event.get("eventName") != "UpdateTrail":
        return False
    return "kmsKeyId" in event.get("requestParameters", {})


def title(event):
    return f"CloudTrail [{event.deep_get('requestParameters', 'name', default='<UNKNOWN_TRAIL>')}] encryption key changed"
