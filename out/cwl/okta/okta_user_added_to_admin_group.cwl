# Panther rule Sample.Okta.UserAddedToPrivilegedGroup (rules/okta/okta_user_added_to_admin_group.yml + rules/okta/okta_user_added_to_admin_group.py)
# Sample: Okta User Added to a Privileged Group
# A user was added to an Okta group that grants administrative access (Okta administrators, cloud admin roles, break-glass accounts).
# fidelity: exact
fields @timestamp, eventType, actor.alternateId, outcome.result, client.ipAddress, target, authenticationContext, jsonParse(@message) as jsonMessage
| unnest jsonMessage.target into targetItem
| filter eventType = "group.user_membership.add"
| filter targetItem.displayName in ["AWS Admins", "Break Glass", "Okta Administrators"]
| filter targetItem.type = "UserGroup"
| sort @timestamp desc
| limit 10000
