# Sample rule: a successful deletion of an Intune device compliance policy (MicrosoftIntune.AuditLogs).
# Constructs exercised:
#   - YARA-L over the AZURE_MDM_INTUNE default parser: operationName is metadata.product_event_type and
#     resultType security_result.summary; the base filter also selects the AuditLogs category
#     (security_result.category_details)


def rule(event):
    return event.get("operationName") == "Delete DeviceCompliancePolicy" and event.get("resultType") == "Success"


def title(event):
    return "Intune device compliance policy deleted"
