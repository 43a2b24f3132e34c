# Panther rule Sample.Azure.Activity.RoleAssignedToGuest (rules/azure_activity/azure_role_assignment_to_guest.yml + rules/azure_activity/azure_role_assignment_to_guest.py)
# Azure Role Assigned to a Guest or Foreign Principal
# A role assignment in Azure granted access to a guest user or a foreign group.
# fidelity: approximate
# target-unsupported-construct: cwl: an isinstance() test cannot be expressed in Logs Insights; replaced by its superset
# target-unsupported-construct: cwl: a JSON validity test cannot be expressed in Logs Insights; replaced by its superset
# target-computed-value: cwl: a computed value (json(event.get("properties").get("requestbody"))) cannot be addressed as a field; replaced by its superset
# target-computed-value: cwl: a computed value (json(event.get("properties").get("requestbody")).get("properties").get("principalType")) cannot be addressed as a field; replaced by its superset
fields @timestamp
| filter operationName =~ /(?i)^m(?-i:[Ii])cro(?-i:[Ss])oft\.author(?-i:[Ii])zat(?-i:[Ii])on\x2frolea(?-i:[Ss])(?-i:[Ss])(?-i:[Ii])gnment(?-i:[Ss])\x2fwr(?-i:[Ii])te$/
| filter not (operationName =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter not (isempty(properties.requestbody))
| filter resultType = "Success"
| sort @timestamp desc
| limit 10000
