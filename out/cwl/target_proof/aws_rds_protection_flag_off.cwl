# Panther rule Sample.AWS.RDSProtectionFlagOff (rules/target_proof/aws_rds_protection_flag_off.yml + rules/target_proof/aws_rds_protection_flag_off.py)
# Sample: RDS Deletion Protection Turned Off
# An RDS instance was modified with deletion protection turned off, or with an IAM authentication setting that is not a boolean.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on requestParameters.deletionProtection (a boolean in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
# target-unsupported-construct: cwl: a test on requestParameters.enableIAMDatabaseAuthentication (a boolean in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp
| filter eventName = "ModifyDBInstance" or (not (ispresent(eventName)) and eventname = "ModifyDBInstance")
| sort @timestamp desc
| limit 10000
