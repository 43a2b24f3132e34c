# Panther rule Sample.Standard.FailedSignInBurst (rules/standard/standard_failed_sign_in_burst.yml + rules/standard/standard_failed_sign_in_burst.py)
# Sample: Burst of Failed Sign-Ins Across Identity Providers
# Five or more failed sign-ins to Okta and Microsoft Entra ID together within 30 minutes. Panther counts the failures of both identity providers in one window (the rule has no dedup() and a constant title), as a password spray across both would show.
# log types: Okta.SystemLog, Azure.Audit (one query each, to run over that log type's log groups: the filters differ)
# fidelity: approximate
# target-threshold-window: cwl: threshold counted in fixed 30m bins, not Panther's dedup window that opens at the first event
# target-threshold-split: cwl: the threshold is counted in each log type's query (Okta.SystemLog, Azure.Audit); Panther counts the events of all of them together
# query 1 of 2: Okta.SystemLog
fields @timestamp, client.ipAddress, properties.ipAddress
| filter eventType = "user.session.start"
| filter outcome.result = "FAILURE"
| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, latest(client.ipAddress) as oktaclientip, latest(properties.ipAddress) as entraclientip by bin(30m) as timeWindow
| filter eventCount >= 5
| sort eventCount desc
| limit 10000
# query 2 of 2: Azure.Audit
fields @timestamp, client.ipAddress, properties.ipAddress
| filter category = "SignInLogs"
| filter ispresent(properties.status.errorCode)
| filter not (properties.status.errorCode = 0)
| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, latest(client.ipAddress) as oktaclientip, latest(properties.ipAddress) as entraclientip by bin(30m) as timeWindow
| filter eventCount >= 5
| sort eventCount desc
| limit 10000
