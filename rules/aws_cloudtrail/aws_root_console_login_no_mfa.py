# Sample rule: the AWS root user signed in to the console without MFA.
# Constructs exercised:
#   - if/early-return chain (`if ...: return False` ... `return True`)
#   - `==` and `!=`
#   - event.get(k), event.deep_get("a", "b"), event.deep_get("a", "b", default="")
#   - a test log where a field used by the condition (additionalEventData.MFAUsed) is missing entirely
#   - dedup() returning a field
#   - alert_context() returning an inline dict


def rule(event):
    if event.get("eventName") != "ConsoleLogin":
        return False
    if event.deep_get("userIdentity", "type") != "Root":
        return False
    if event.deep_get("responseElements", "ConsoleLogin", default="") != "Success":
        return False
    if event.deep_get("additionalEventData", "MFAUsed", default="") == "Yes":
        return False
    return True


def dedup(event):
    return event.get("sourceIPAddress")


def alert_context(event):
    return {
        "sourceIPAddress": event.get("sourceIPAddress"),
        "userAgent": event.get("userAgent"),
        "recipientAccountId": event.get("recipientAccountId"),
        "mfaUsed": event.deep_get("additionalEventData", "MFAUsed", default="<NOT_RECORDED>"),
    }
