# Sample rule: an IAM policy change by a principal that is not a federated subject.
# Constructs exercised:
#   - the truthiness of a value whose type the tests do not fix (a string in one record, a mapping
#     in another, absent in a third): KQL declares one `truthy()` function per query and calls it
#   - `not` of a truthiness test, and one beside an equality
def rule(event):
    if event.deep_get("protoPayload", "methodName") != "SetIamPolicy":
        return False
    # workload identity federation fills principalSubject (a string, or a mapping in older records)
    if event.deep_get("protoPayload", "authenticationInfo", "principalSubject"):
        return False
    return bool(event.deep_get("protoPayload", "authenticationInfo", "serviceAccountDelegationInfo"))
