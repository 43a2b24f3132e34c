# Panther rule Sample.Azure.Activity.PrivilegedRoleAssigned (rules/azure_activity/azure_privileged_role_assigned.yml + rules/azure_activity/azure_privileged_role_assigned.py)
# Sample: Azure Privileged RBAC Role Assigned
# A role assignment granting the built-in Owner, User Access Administrator or Contributor role was created. These roles control every resource in their scope; the first two can also grant access to others.
# fidelity: approximate
# target-regex-end-anchor: cwl: the end anchor $ of a regex also matches before a final line break in some regex engines (the Logs Insights flavour is not documented); the match may be wider on values ending in a line break
# target-computed-value: cwl: a computed value (rsplit(json(event.get("properties").get("responseBody")).get("properties").get("roleDefinitionId"), "/", 1)[-1]) cannot be addressed as a field; replaced by its superset
fields @timestamp, identity.claims.name, callerIpAddress, resourceId, properties.responseBody
| filter operationName =~ /(?i)^microsoft\.authorization\x2froleassignments\x2fwrite$/
| filter resultType =~ /(?i)^success$/
| sort @timestamp desc
| limit 10000
