# Panther rule Sample.AWS.PublicWriteFlags (rules/target_proof/aws_public_write_flags.yml + rules/target_proof/aws_public_write_flags.py)
# Sample: Ingress ACL Entry Allowed or RDS Instance Made Public
# A write call created an ingress network ACL entry that allows traffic, or made an RDS instance publicly accessible.
# fidelity: exact
fields @timestamp
| filter (eventName = "CreateNetworkAclEntry" and requestParameters.egress = 0 and requestParameters.ruleAction = "allow") or (eventName = "ModifyDBInstance" and requestParameters.publiclyAccessible = 1)
| filter not (ispresent(readOnly)) or readOnly = 0
| sort @timestamp desc
| limit 10000
