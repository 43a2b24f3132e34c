# Sample rule: a Cloud Storage bucket's IAM policy now grants a role to allUsers/allAuthenticatedUsers.
# Constructs exercised:
#   - event.deep_walk(...) through a nested list of dicts (bindingDeltas[].member), which returns a
#     single string when one distinct value is found and a list when several are
#   - isinstance(x, str) / isinstance(x, list) on that result
#   - set constant; `in CONST`; list comprehension with len(...) > 0
#   - title() f-string; inline alert_context()
# deep_walk collects the members of all deltas, ADD and REMOVE alike, so removing a public member
# also alerts; that is acceptable for a change this sensitive.

PUBLIC_PRINCIPALS = {"allUsers", "allAuthenticatedUsers"}


def rule(event):
    if event.deep_get("protoPayload", "methodName") != "storage.setIamPermissions":
        return False
    if event.deep_get("protoPayload", "status", "code") is not None:
        return False
    added = event.deep_walk(
        "protoPayload", "serviceData", "policyDelta", "bindingDeltas", "member", default=[]
    )
    if isinstance(added, str):
        return added in PUBLIC_PRINCIPALS
    if isinstance(added, list):
        return len([member for member in added if member in PUBLIC_PRINCIPALS]) > 0
    return False


def title(event):
    return (
        f"GCS bucket [{event.deep_get('resource', 'labels', 'bucket_name', default='<UNKNOWN_BUCKET>')}] "
        f"made public by [{event.deep_get('protoPayload', 'authenticationInfo', 'principalEmail')}]"
    )


def alert_context(event):
    return {
        "bucket": event.deep_get("resource", "labels", "bucket_name"),
        "principal": event.deep_get("protoPayload", "authenticationInfo", "principalEmail"),
        "caller_ip": event.deep_get("protoPayload", "requestMetadata", "callerIp"),
        "binding_deltas": event.deep_get("protoPayload", "serviceData", "policyDelta", "bindingDeltas"),
    }
