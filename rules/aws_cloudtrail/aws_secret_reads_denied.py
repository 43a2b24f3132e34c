# Sample rule: a principal repeatedly denied reading secrets (threshold rule counted per alert title).
# Constructs exercised:
#   - YAML: Threshold: 5 with DedupPeriodMinutes: 60 and no dedup(): Panther counts per alert title
#   - title() whose principal depends on a condition (`a if c else b`) and on if/return branches:
#     the threshold grouping key is a case() over the title's texts
def rule(event):
    return (
        event.get("eventSource") == "secretsmanager.amazonaws.com"
        and event.get("eventName") in ("GetSecretValue", "BatchGetSecretValue")
        and event.get("errorCode") == "AccessDenied"
    )


def title(event):
    principal = (
        event.deep_get("userIdentity", "userName")
        if event.deep_get("userIdentity", "type") == "IAMUser"
        else event.deep_get("userIdentity", "arn", default="<UNKNOWN_PRINCIPAL>")
    )
    if event.deep_get("userIdentity", "type") == "Root":
        return f"The root user was repeatedly denied reading secrets in [{event.get('recipientAccountId', '<UNKNOWN_ACCOUNT>')}]"
    return f"[{principal}] was repeatedly denied reading secrets in [{event.get('recipientAccountId', '<UNKNOWN_ACCOUNT>')}]"


def alert_context(event):
    return {
        "eventName": event.get("eventName"),
        "sourceIPAddress": event.get("sourceIPAddress"),
        "account": event.get("recipientAccountId"),
    }
