# Panther rule Sample.Zendesk.AdminRoleAssigned (rules/zendesk/zendesk_admin_role_assigned.yml + rules/zendesk/zendesk_admin_role_assigned.py)
# Sample: Zendesk User Made Administrator
# A Zendesk user was given the administrator role.
# fidelity: exact
fields @timestamp
| filter action = "update"
| filter `change_description` =~ /(?i)to adm(?-i:[Ii])n/
| filter `source_type` = "user"
| sort @timestamp desc
| limit 10000
