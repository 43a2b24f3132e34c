# Panther rule Sample.Okta.AdminRoleAssigned (rules/okta/okta_admin_role_assigned.yml + rules/okta/okta_admin_role_assigned.py)
# Sample: Okta Super or Org Administrator Role Assigned
# A user was granted the Okta Super administrator or Organization administrator role, which controls every user, application and policy in the tenant.
# fidelity: exact
fields @timestamp, eventType, actor.alternateId, outcome.result, client.ipAddress, target, authenticationContext
| filter eventType = "user.account.privilege.grant"
| filter outcome.result = "SUCCESS"
| filter debugContext.debugData.privilegeGranted =~ /Organization administrator|Super administrator/
| sort @timestamp desc
| limit 10000
