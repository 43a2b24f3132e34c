# Panther rule Sample.AWS.RDS.SnapshotSharedWithAccount (rules/aws_cloudtrail/aws_rds_snapshot_shared_with_account.yml + rules/aws_cloudtrail/aws_rds_snapshot_shared_with_account.py)
# Sample: RDS Snapshot Shared With an Account
# An RDS snapshot's restore attribute was given to a named AWS account, which can then copy the data.
# fidelity: exact
fields @timestamp, userIdentity.arn, jsonParse(@message) as jsonMessage
| unnest jsonMessage.requestParameters.valuesToAdd into valuesToAddItem
| filter eventName = "ModifyDBSnapshotAttribute"
| filter not (isempty(valuesToAddItem))
| filter valuesToAddItem != "all"
| sort @timestamp desc
| limit 10000
