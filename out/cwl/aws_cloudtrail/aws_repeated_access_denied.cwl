# Panther rule Sample.AWS.CloudTrail.RepeatedAccessDenied (rules/aws_cloudtrail/aws_repeated_access_denied.yml + rules/aws_cloudtrail/aws_repeated_access_denied.py)
# Sample: Repeated AWS AccessDenied Errors for One Principal
# Ten or more AccessDenied, UnauthorizedOperation or UnauthorizedAccess errors for the same principal within thirty minutes. Stolen credentials are often used to probe which APIs they can call.
# fidelity: approximate
# target-threshold-window: cwl: threshold counted in fixed 30m bins, not Panther's dedup window that opens at the first event
fields @timestamp, errorCode, eventName, eventSource, sourceIPAddress, userIdentity.arn
| filter errorCode =~ /(?i)(acce(?-i:[Ssſ])(?-i:[Ssſ])den(?-i:[Iiİı])ed|unauthor(?-i:[Iiİı])zedoperat(?-i:[Iiİı])on|unauthor(?-i:[Iiİı])zedacce(?-i:[Ssſ])(?-i:[Ssſ]))/
| filter not (ispresent(sourceIPAddress)) or ((not (sourceIPAddress =~ /^(?:[a-z0-9\-]+\.amazonaws\.com\n?$)/) or sourceIPAddress =~ /[\x0a-\x0d\x85‧-‰]$/) and (not (sourceIPAddress =~ /^(?:[a-z0-9\-]+\.amazonaws\.com\n$)/) or sourceIPAddress =~ /[\x0a-\x0d\x85‧-‰][\x0a-\x0d\x85‧-‰]$/))
| filter not (ispresent(userIdentity.type)) or userIdentity.type != "AWSService"
| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, latest(errorCode) as errorCode, latest(eventName) as eventName, latest(eventSource) as eventSource, latest(sourceIPAddress) as sourceIPAddress by userIdentity.arn, bin(30m) as timeWindow
| filter eventCount >= 10
| sort eventCount desc
| limit 10000
