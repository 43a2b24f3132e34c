# Sample rule: a Cloud Armor security policy denied a request at an HTTP(S) load balancer
# (GCP.HTTPLoadBalancer).
# Constructs exercised:
#   - YARA-L over the GCP_LOADBALANCING default parser: resource.type is
#     target.resource.resource_subtype and jsonPayload.statusDetails security_result.summary, both
#     mapped unchanged
#   - deep_get equality on two nested string fields


def rule(event):
    return (
        event.deep_get("resource", "type") == "http_load_balancer"
        and event.deep_get("jsonPayload", "statusDetails") == "denied_by_security_policy"
    )


def title(event):
    return (
        f"Cloud Armor denied a request to "
        f"[{event.deep_get('resource', 'labels', 'backend_service_name', default='<UNKNOWN_BACKEND>')}]"
    )
