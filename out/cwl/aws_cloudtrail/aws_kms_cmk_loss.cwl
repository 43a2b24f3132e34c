# Panther rule AWS.KMS.CustomerManagedKeyLoss (rules/aws_cloudtrail/aws_kms_cmk_loss.yml + rules/aws_cloudtrail/aws_kms_cmk_loss.py)
# KMS CMK Disabled or Deleted
# A KMS Customer Managed Key was disabled or scheduled for deletion. This could potentially lead to permanent loss of encrypted data.
# fidelity: exact
fields @timestamp, eventName, eventSource, awsRegion, recipientAccountId, sourceIPAddress, userAgent, userIdentity
| filter eventName in ["DisableKey", "ScheduleKeyDeletion"]
| filter isempty(errorCode)
| filter isempty(errorMessage)
| sort @timestamp desc
| limit 10000
