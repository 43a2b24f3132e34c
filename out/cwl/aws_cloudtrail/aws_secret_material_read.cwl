# Panther rule Sample.AWS.CloudTrail.SecretMaterialRead (rules/aws_cloudtrail/aws_secret_material_read.yml + rules/aws_cloudtrail/aws_secret_material_read.py)
# Sample: Secret Material Read
# A successful read of a secret (Secrets Manager), a parameter (Systems Manager) or a decryption with a KMS key, made by a person or a workload rather than by an AWS service on its behalf.
# fidelity: exact
fields @timestamp, userIdentity.arn, eventName
| filter (eventSource = "kms.amazonaws.com" and eventName =~ /^(?:Decrypt|Describe)/) or (eventSource = "secretsmanager.amazonaws.com" and eventName =~ /^(?:BatchGet|Get)/) or (eventSource = "ssm.amazonaws.com" and eventName =~ /^(?:Describe|Get)/)
| filter isempty(errorCode)
| filter not (ispresent(userIdentity.type)) or userIdentity.type != "AWSService"
| sort @timestamp desc
| limit 10000
