# NEXT-CONSTRUCT rule (for the lifter's next milestone): any(...) over an event array,
#   any(... for delta in event.deep_get("protoPayload", "serviceData", "policyDelta",
#                                       "bindingDeltas", default=[]))
# Other constructs: string constant, `==` and `and` inside the generator, a test log with the
# array missing entirely, alert_context() returning a helper dict.
from panther_gcp_helpers import gcp_alert_context

OWNER_ROLE = "roles/owner"


def rule(event):
    deltas = event.deep_get("protoPayload", "serviceData", "policyDelta", "bindingDeltas", default=[])
    return any(delta.get("action") == "ADD" and delta.get("role") == OWNER_ROLE for delta in deltas)


def title(event):
    principal = event.deep_get("protoPayload", "authenticationInfo", "principalEmail", default="<UNKNOWN>")
    project = event.deep_get("resource", "labels", "project_id", default="<UNKNOWN_PROJECT>")
    return f"GCP: [{principal}] granted roles/owner on [{project}]"


def alert_context(event):
    return gcp_alert_context(event)
