# Sample rule over two log types with a threshold: one IP address failing to sign in to Entra ID and
# failing Azure control-plane operations, counted together.
# Constructs exercised:
#   - a condition that reads each log type its own way (`p_log_type` decides), with `not in (None, "0")`
#   - a threshold (Threshold / DedupPeriodMinutes) whose dedup() key is a field both log types name alike
#     (callerIpAddress) but whose Sentinel tables hold in differently named columns (SigninLogs and
#     AuditLogs IPAddress, AzureActivity CallerIpAddress): one window count over the union, per address
#   - an alert_context() output read from another column on each log type (OperationName, OperationNameValue)


def rule(event):
    if event.get("p_log_type") == "Azure.Audit":
        return event.get("operationName") == "Sign-in activity" and event.get("resultType") not in (None, "0")
    return event.get("resultType") == "Failure"


def dedup(event):
    return event.get("callerIpAddress")


def title(event):
    return f"Failed Azure sign-ins and operations from [{event.get('callerIpAddress')}]"


def alert_context(event):
    return {"operation": event.get("operationName")}
