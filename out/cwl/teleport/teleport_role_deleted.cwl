# Panther rule Sample.Teleport.RoleDeletedByRoot (rules/teleport/teleport_role_deleted.yml + rules/teleport/teleport_role_deleted.py)
# Sample: Teleport Role Deleted as root
# A Teleport role was deleted in a session that logged in as root.
# fidelity: exact
fields @timestamp
| filter event = "role.deleted"
| filter login = "root"
| sort @timestamp desc
| limit 10000
