"""GCP Audit Log helpers for this project's sample rules."""

from panther_base_helpers import deep_get


def gcp_alert_context(event):
    """The standard alert context for GCP audit log rules."""
    return {
        "project": deep_get(event, "resource", "labels", "project_id", default="<MISSING_PROJECT>"),
        "principal": deep_get(
            event, "protoPayload", "authenticationInfo", "principalEmail", default="<MISSING_PRINCIPAL>"
        ),
        "caller_ip": deep_get(event, "protoPayload", "requestMetadata", "callerIp", default="<MISSING_IP>"),
        "method_name": deep_get(event, "protoPayload", "methodName", default="<MISSING_METHOD>"),
        "resource_name": deep_get(event, "protoPayload", "resourceName", default="<MISSING_RESOURCE>"),
        "service_name": deep_get(event, "protoPayload", "serviceName", default="<MISSING_SERVICE>"),
    }
