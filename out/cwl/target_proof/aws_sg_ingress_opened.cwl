# Panther rule Sample.Proof.SecurityGroupIngressOpened (rules/target_proof/aws_sg_ingress_opened.yml + rules/target_proof/aws_sg_ingress_opened.py)
# Sample: Security Group Ingress Opened
# A security group was opened to new ingress. Pins how each target reads the truthiness of a JSON boolean (readOnly), a list (ipPermissions.items) and a string (errorCode).
# fidelity: approximate
# target-unsupported-construct: cwl: a test on requestParameters.ipPermissions.items (a list in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, eventName, sourceIPAddress
| filter eventName = "AuthorizeSecurityGroupIngress"
| filter isempty(errorCode)
| filter not (ispresent(readOnly)) or readOnly = 0
| sort @timestamp desc
| limit 10000
