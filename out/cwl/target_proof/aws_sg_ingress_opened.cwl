# Panther rule Sample.Proof.SecurityGroupIngressOpened (rules/target_proof/aws_sg_ingress_opened.yml + rules/target_proof/aws_sg_ingress_opened.py)
# Sample: Security Group Ingress Opened
# A security group was opened to new ingress. Pins how each target reads the truthiness of a JSON boolean (readOnly), a list (ipPermissions.items) and a string (errorCode).
# fidelity: exact
fields @timestamp, eventName, sourceIPAddress, jsonParse(@message) as jsonMessage
| unnest jsonMessage.requestParameters.ipPermissions.items into itemsItem
| filter eventName = "AuthorizeSecurityGroupIngress"
| filter ispresent(itemsItem)
| filter isempty(errorCode)
| filter not (ispresent(readOnly)) or readOnly = 0
| sort @timestamp desc
| limit 10000
