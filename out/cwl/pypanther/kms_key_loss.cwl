# Panther rule Sample.PyPanther.KMS.KeyLoss (rules/pypanther/kms_key_loss.py)
# KMS key disabled or scheduled for deletion
# A KMS key was disabled or scheduled for deletion.
# fidelity: exact
fields @timestamp, eventName, eventSource, awsRegion, recipientAccountId, sourceIPAddress, userAgent, userIdentity
| filter eventName in ["DisableKey", "ScheduleKeyDeletion"]
| filter isempty(errorCode)
| filter isempty(errorMessage)
| sort @timestamp desc
| limit 10000
