# Sample rule: one principal collecting AccessDenied-style errors (threshold rule, API enumeration).
# Constructs exercised:
#   - module-level re.compile(..., re.IGNORECASE) used with .search()
#   - re.match (anchored at the start) against a field
#   - YAML: Threshold: 10 with DedupPeriodMinutes: 30; dedup() returning a field
#   - title() f-string; alert_context() inline dict
import re

DENIED_ERROR = re.compile(r"(accessdenied|unauthorizedoperation|unauthorizedaccess)", re.IGNORECASE)


def rule(event):
    if not DENIED_ERROR.search(event.get("errorCode", "")):
        return False
    # calls made by AWS services on the principal's behalf carry the service's name, not an address
    if re.match(r"[a-z0-9-]+\.amazonaws\.com$", event.get("sourceIPAddress", "")):
        return False
    return event.deep_get("userIdentity", "type") != "AWSService"


def dedup(event):
    return event.deep_get("userIdentity", "arn", default="<UNKNOWN_PRINCIPAL>")


def title(event):
    return (
        f"[{event.deep_get('userIdentity', 'arn', default='<UNKNOWN_PRINCIPAL>')}] "
        f"was repeatedly denied AWS API calls in [{event.get('recipientAccountId')}]"
    )


def alert_context(event):
    return {
        "errorCode": event.get("errorCode"),
        "eventName": event.get("eventName"),
        "eventSource": event.get("eventSource"),
        "sourceIPAddress": event.get("sourceIPAddress"),
        "principal": event.deep_get("userIdentity", "arn"),
    }
