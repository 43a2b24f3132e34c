# Sample rule: a Cloud Logging sink was deleted or updated (log export tampering).
# Constructs exercised:
#   - helper imports from rules/global_helpers: deep_get (panther_base_helpers) used in rule(),
#     gcp_alert_context (panther_gcp_helpers) returned by alert_context()
#   - module constants: a string constant and a tuple
#   - local variable assignments, then `return ... and ... and ...`
#   - deep_get(event, "a", "b"), event.deep_get("a", "b", default="")
#   - str.endswith(...) with a tuple argument
#   - `is None` (a successful call carries no protoPayload.status.code)
from panther_base_helpers import deep_get
from panther_gcp_helpers import gcp_alert_context

LOGGING_SERVICE = "logging.googleapis.com"
SINK_CHANGE_METHODS = ("ConfigServiceV2.DeleteSink", "ConfigServiceV2.UpdateSink")


def rule(event):
    service = deep_get(event, "protoPayload", "serviceName")
    method = event.deep_get("protoPayload", "methodName", default="")
    error_code = event.deep_get("protoPayload", "status", "code")
    return service == LOGGING_SERVICE and method.endswith(SINK_CHANGE_METHODS) and error_code is None


def alert_context(event):
    return gcp_alert_context(event)
