# Panther rule Sample.AWS.CloudTrail.StoppedLogging (rules/aws_cloudtrail/aws_cloudtrail_stopped.yml + rules/aws_cloudtrail/aws_cloudtrail_stopped.py)
# Sample: CloudTrail Logging Stopped or Trail Deleted
# A CloudTrail trail stopped recording API activity (StopLogging) or was deleted (DeleteTrail). Attackers disable audit logging to hide what they do next.
# fidelity: exact
fields @timestamp, eventName, eventSource, awsRegion, recipientAccountId, sourceIPAddress, userAgent, userIdentity
| filter eventName in ["DeleteTrail", "StopLogging"]
| filter eventSource = "cloudtrail.amazonaws.com"
| filter isempty(errorCode)
| filter isempty(errorMessage)
| sort @timestamp desc
| limit 10000
