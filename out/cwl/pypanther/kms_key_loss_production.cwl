# Panther rule Sample.PyPanther.KMS.KeyLoss.Production (rules/pypanther/kms_key_loss_production.py)
# KMS key loss in a production account
# A KMS key was disabled or scheduled for deletion.
# fidelity: approximate
# target-threshold-window: cwl: threshold counted in fixed 30m bins, not Panther's dedup window that opens at the first event
fields @timestamp, eventName, eventSource, awsRegion, recipientAccountId, sourceIPAddress, userAgent, userIdentity
| filter eventName in ["DeleteImportedKeyMaterial", "DisableKey", "ScheduleKeyDeletion"]
| filter recipientAccountId in ["111122223333", "444455556666"]
| filter not (ispresent(awsRegion)) or awsRegion != "ap-east-1"
| filter isempty(errorCode)
| filter isempty(errorMessage)
| filter not (ispresent(userIdentity.sessionContext.sessionIssuer.userName)) or userIdentity.sessionContext.sessionIssuer.userName != "break-glass"
| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, latest(eventName) as eventName, latest(eventSource) as eventSource, latest(awsRegion) as awsRegion, latest(sourceIPAddress) as sourceIPAddress, latest(userAgent) as userAgent, latest(userIdentity) as userIdentity by recipientAccountId, bin(30m) as timeWindow
| filter eventCount >= 2
| sort eventCount desc
| limit 10000
