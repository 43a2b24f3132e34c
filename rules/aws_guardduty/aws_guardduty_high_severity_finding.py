# Sample rule: a GuardDuty finding at or above the severity its finding type calls for.
# Constructs exercised:
#   - constant dict lookup CONST.get(event.get("type")) with `is None`
#   - float(event.get("severity", 0)) >= 7.0 and >= <looked-up minimum>
#   - int(event.deep_get("service", "count", default=0)) compared with a number
#   - str.startswith on event.get(k, default)
#   - severity() returning different severities by a condition; title() f-string; inline alert_context()

# finding types that are noisy at their default severity: alert only from this severity up
MIN_SEVERITY_BY_TYPE = {
    "Recon:EC2/PortProbeUnprotectedPort": 8.0,
    "UnauthorizedAccess:EC2/SSHBruteForce": 8.0,
}


def rule(event):
    # reconnaissance findings matter only when they keep recurring
    if event.get("type", "").startswith("Recon:") and int(event.deep_get("service", "count", default=0)) < 10:
        return False
    minimum = MIN_SEVERITY_BY_TYPE.get(event.get("type"))
    if minimum is None:
        return float(event.get("severity", 0)) >= 7.0
    return float(event.get("severity", 0)) >= minimum


def severity(event):
    if float(event.get("severity", 0)) >= 8.0:
        return "CRITICAL"
    return "HIGH"


def title(event):
    return f"GuardDuty [{event.get('type')}] in account [{event.get('accountId')}]: {event.get('title')}"


def alert_context(event):
    return {
        "type": event.get("type"),
        "severity": event.get("severity"),
        "accountId": event.get("accountId"),
        "region": event.get("region"),
        "resourceType": event.deep_get("resource", "resourceType"),
        "count": event.deep_get("service", "count"),
    }
