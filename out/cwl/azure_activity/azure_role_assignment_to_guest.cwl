# Panther rule Sample.Azure.Activity.RoleAssignedToGuest (rules/azure_activity/azure_role_assignment_to_guest.yml + rules/azure_activity/azure_role_assignment_to_guest.py)
# Azure Role Assigned to a Guest or Foreign Principal
# A role assignment in Azure granted access to a guest user or a foreign group.
# fidelity: exact
fields @timestamp, jsonParse(properties.requestbody) as jsonRequestbody
| filter operationName =~ /(?i)^m(?-i:[Ii])cro(?-i:[Ss])oft\.author(?-i:[Ii])zat(?-i:[Ii])on\x2frolea(?-i:[Ss])(?-i:[Ss])(?-i:[Ii])gnment(?-i:[Ss])\x2fwr(?-i:[Ii])te$/
| filter not (operationName =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter not (isempty(properties.requestbody))
| filter resultType = "Success"
| filter jsonRequestbody.properties.principalType in ["ForeignGroup", "Guest"]
| sort @timestamp desc
| limit 10000
