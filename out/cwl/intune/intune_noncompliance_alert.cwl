# Panther rule Sample.Intune.NonComplianceAlert (rules/intune/intune_noncompliance_alert.yml + rules/intune/intune_noncompliance_alert.py)
# Sample: Intune Reports a Device Out of Compliance
# Intune's operational log raised a non-compliance alert for a managed device during a compliance check.
# fidelity: exact
fields @timestamp
| filter properties.AlertType = "Managed Device Not Compliant"
| sort @timestamp desc
| limit 10000
