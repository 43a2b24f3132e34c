# Panther rule Sample.Okta.UserAddedToPrivilegedGroup (rules/okta/okta_user_added_to_admin_group.yml + rules/okta/okta_user_added_to_admin_group.py)
# Sample: Okta User Added to a Privileged Group
# A user was added to an Okta group that grants administrative access (Okta administrators, cloud admin roles, break-glass accounts).
# fidelity: approximate
# target-quantifier: cwl: any()/all() over a list is not expressed in Logs Insights; replaced by its superset
fields @timestamp, eventType, actor.alternateId, outcome.result, client.ipAddress, target, authenticationContext
| filter eventType = "group.user_membership.add"
| sort @timestamp desc
| limit 10000
