# Panther rule Sample.Netskope.AdminAuditInRestrictedOU (rules/netskope/netskope_admin_change_in_ou.yml + rules/netskope/netskope_admin_change_in_ou.py)
# Sample: Netskope Admin Audit Event in a Restricted Organization Unit
# An administrator action was recorded in the Netskope audit log for the security organization unit.
# fidelity: exact
fields @timestamp
| filter `organization_unit` =~ /^sec\x2f/
| filter type = "admin_audit_logs"
| sort @timestamp desc
| limit 10000
