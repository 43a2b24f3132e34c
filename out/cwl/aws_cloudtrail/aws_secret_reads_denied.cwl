# Panther rule Sample.AWS.CloudTrail.SecretReadsDenied (rules/aws_cloudtrail/aws_secret_reads_denied.yml + rules/aws_cloudtrail/aws_secret_reads_denied.py)
# Sample: Repeated Denied Secret Reads for One Principal
# Five or more denied GetSecretValue or BatchGetSecretValue calls for the same principal within an hour. A principal probing for secrets it may not read is often a stolen credential taking stock.
# fidelity: approximate
# target-threshold-key: cwl: Panther counts per dedup string, which depends on a condition: events are counted per value of each field it reads, which splits events whose strings are equal
# target-threshold-window: cwl: threshold counted in fixed 60m bins, not Panther's dedup window that opens at the first event
fields @timestamp, eventName, sourceIPAddress, recipientAccountId
| filter errorCode = "AccessDenied"
| filter eventName in ["BatchGetSecretValue", "GetSecretValue"]
| filter eventSource = "secretsmanager.amazonaws.com"
| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, latest(eventName) as eventName, latest(sourceIPAddress) as sourceIPAddress by recipientAccountId, userIdentity.arn, userIdentity.type, userIdentity.userName, bin(60m) as timeWindow
| filter eventCount >= 5
| sort eventCount desc
| limit 10000
