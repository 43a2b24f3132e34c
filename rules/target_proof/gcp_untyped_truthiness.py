# Sample rule: an IAM policy change through service account delegation that the service did not reject.
# Constructs exercised:
#   - the truthiness of a value whose type the tests do not fix (a string in one record, a mapping
#     in another, absent in a third): KQL declares one `truthy()` function per query and calls it
#   - `not` of a truthiness test, and one beside an equality
def rule(event):
    if event.deep_get("protoPayload", "methodName") != "SetIamPolicy":
        return False
    # protoPayload.response is service-specific (a Struct in the AuditLog reference): its error member
    # has no documented type here (a string in one record, a mapping in another)
    if event.deep_get("protoPayload", "response", "error"):
        return False
    return bool(event.deep_get("protoPayload", "authenticationInfo", "serviceAccountDelegationInfo"))
