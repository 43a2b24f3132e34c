# Sample rule: VPC flow logs were turned off on a subnetwork.
# Constructs exercised:
#   - the truthiness of a mapping (`event.get("protoPayload")`) tested before reading into it: a
#     falsy mapping holds no key, so the tests below it imply it (Sigma writes no truthiness of a mapping)
#   - `(x or {}).get(key)` on a mapping that may be missing or empty
#   - `is False` on a nested boolean
def rule(event):
    if not event.get("protoPayload"):
        return False
    request = event.deep_get("protoPayload", "request") or {}
    return (
        event.deep_get("protoPayload", "methodName", default="") == "v1.compute.subnetworks.patch"
        and request.get("enableFlowLogs") is False
    )


def title(event):
    return f"VPC flow logs disabled on [{event.deep_get('protoPayload', 'resourceName', default='<UNKNOWN>')}]"
