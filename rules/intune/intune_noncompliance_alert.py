# Sample rule: Intune's non-compliance alert for a managed device (MicrosoftIntune.OperationalLogs).
# Constructs exercised:
#   - YARA-L over the AZURE_MDM_INTUNE default parser with the OperationalLogs category in the base
#     filter: properties.AlertType is security_result.description (the parser's change log)
#   - event.deep_get with a default compared case-sensitively


def rule(event):
    return event.deep_get("properties", "AlertType", default="") == "Managed Device Not Compliant"


def title(event):
    host = event.deep_get("properties", "DeviceHostName", default="<unknown host>")
    return f"Intune: {host} is out of compliance"
