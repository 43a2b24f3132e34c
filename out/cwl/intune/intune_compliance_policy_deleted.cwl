# Panther rule Sample.Intune.CompliancePolicyDeleted (rules/intune/intune_compliance_policy_deleted.yml + rules/intune/intune_compliance_policy_deleted.py)
# Sample: Intune Device Compliance Policy Deleted
# A device compliance policy was deleted in Microsoft Intune, and the deletion succeeded.
# fidelity: exact
fields @timestamp
| filter operationName = "Delete DeviceCompliancePolicy"
| filter resultType = "Success"
| sort @timestamp desc
| limit 10000
