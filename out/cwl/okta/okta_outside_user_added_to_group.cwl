# Panther rule Sample.Okta.OutsideUserAddedToGroup (rules/okta/okta_outside_user_added_to_group.yml + rules/okta/okta_outside_user_added_to_group.py)
# Sample: Okta User Outside the Organisation Added to a Group
# A user whose login is not in one of the organisation's email domains was added to an Okta group.
# fidelity: approximate
# target-computed-value: cwl: a quantifier element is used outside a supported quantifier; replaced by its superset
fields @timestamp, actor.alternateId, target, jsonParse(@message) as jsonMessage
| unnest jsonMessage.target into targetItem
| filter eventType = "group.user_membership.add"
| filter targetItem.type = "User"
| sort @timestamp desc
| limit 10000
