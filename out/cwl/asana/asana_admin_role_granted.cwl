# Panther rule Sample.Asana.AdminRoleGranted (rules/asana/asana_admin_role_granted.yml + rules/asana/asana_admin_role_granted.py)
# Sample: Asana Admin Role Granted
# An Asana user was granted the admin or super admin role by a person (not through the API).
# fidelity: exact
fields @timestamp, actor.email, resource.email, `details.new_value`
| filter `details.new_value` in ["admin", "super_admin"]
| filter `event_type` = "user_workspace_admin_role_changed"
| filter not (ispresent(`context.context_type`)) or `context.context_type` != "api"
| sort @timestamp desc
| limit 10000
