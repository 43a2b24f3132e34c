# Panther rule Sample.Azure.Activity.RoleAssignedToGuest (rules/azure_activity/azure_role_assignment_to_guest.yml + rules/azure_activity/azure_role_assignment_to_guest.py)
# Azure Role Assigned to a Guest or Foreign Principal
# A role assignment in Azure granted access to a guest user or a foreign group.
# fidelity: approximate
# target-regex-end-anchor: cwl: the end anchor $ of a regex also matches before a final line break in some regex engines (the Logs Insights flavour is not documented); the match may be wider on values ending in a line break
# target-unsupported-construct: cwl: an isinstance() test cannot be expressed in Logs Insights; replaced by its superset
# target-unsupported-construct: cwl: a JSON validity test cannot be expressed in Logs Insights; replaced by its superset
# target-computed-value: cwl: a computed value (json(event.get("properties").get("requestbody"))) cannot be addressed as a field; replaced by its superset
# target-computed-value: cwl: a computed value (json(event.get("properties").get("requestbody")).get("properties").get("principalType")) cannot be addressed as a field; replaced by its superset
fields @timestamp
| filter operationName =~ /(?i)^microsoft\.authorization\x2froleassignments\x2fwrite$/
| filter not (isempty(properties.requestbody))
| filter resultType = "Success"
| sort @timestamp desc
| limit 10000
