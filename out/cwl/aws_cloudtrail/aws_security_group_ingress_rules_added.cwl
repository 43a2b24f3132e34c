# Panther rule Sample.AWS.CloudTrail.SecurityGroupIngressRulesAdded (rules/aws_cloudtrail/aws_security_group_ingress_rules_added.yml + rules/aws_cloudtrail/aws_security_group_ingress_rules_added.py)
# Sample: Security Group Ingress Rules Added
# Inbound rules were added to an EC2 security group.
# fidelity: exact
fields @timestamp, jsonParse(@message) as jsonMessage
| unnest jsonMessage.requestParameters.ipPermissions.items into itemsItem
| filter eventName = "AuthorizeSecurityGroupIngress"
| filter ispresent(itemsItem)
| filter isempty(errorCode)
| sort @timestamp desc
| limit 10000
