# Panther rule Sample.Azure.Activity.PrivilegedRoleAssigned (rules/azure_activity/azure_privileged_role_assigned.yml + rules/azure_activity/azure_privileged_role_assigned.py)
# Sample: Azure Privileged RBAC Role Assigned
# A role assignment granting the built-in Owner, User Access Administrator or Contributor role was created. These roles control every resource in their scope; the first two can also grant access to others.
# fidelity: approximate
# target-computed-value: cwl: a computed value (rsplit(json(event.get("properties").get("responseBody")).get("properties").get("roleDefinitionId"), "/", 1)[-1]) cannot be addressed as a field; replaced by its superset
fields @timestamp, identity.claims.name, callerIpAddress, resourceId, properties.responseBody
| filter operationName =~ /(?i)^M(?-i:[Iiı])CRO(?-i:[Ssſ])OFT\.AUTHOR(?-i:[Iiı])ZAT(?-i:[Iiı])ON\x2fROLEA(?:(?-i:[Ssſ])(?-i:[Ssſ])|(?-i:[ß]))(?-i:[Iiı])GNMENT(?-i:[Ssſ])\x2fWR(?-i:[Iiı])TE$/
| filter not (operationName =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter resultType =~ /(?i)^(?-i:[Ss])ucce(?-i:[Ss])(?-i:[Ss])$/
| filter not (resultType =~ /[\x0a-\x0d\x85‧-‰]$/)
| sort @timestamp desc
| limit 10000
