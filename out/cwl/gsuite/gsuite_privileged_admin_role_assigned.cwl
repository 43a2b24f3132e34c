# Panther rule Sample.GSuite.PrivilegedAdminRoleAssigned (rules/gsuite/gsuite_privileged_admin_role_assigned.yml + rules/gsuite/gsuite_privileged_admin_role_assigned.py)
# Sample: Google Workspace Privileged Admin Role Assigned
# A Google Workspace administrator role other than the approved low-privilege roles was assigned to a user (for example Super Admin or User Management Admin).
# fidelity: exact
fields @timestamp, actor.email, `parameters.ROLE_NAME`, `parameters.USER_EMAIL`, ipAddress
| filter id.applicationName = "admin"
| filter name = "ASSIGN_ROLE"
| filter ispresent(`parameters.ROLE_NAME`)
| filter not (`parameters.ROLE_NAME` in ["Calendar Reader", "_GROUPS_READER_ROLE", "_HELP_DESK_ADMIN_ROLE"])
| sort @timestamp desc
| limit 10000
