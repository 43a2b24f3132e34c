# Panther rule Sample.Standard.FailedSignInBurst (rules/standard/standard_failed_sign_in_burst.yml + rules/standard/standard_failed_sign_in_burst.py)
# Sample: Burst of Failed Sign-Ins Across Identity Providers
# Five or more failed sign-ins to Okta and Microsoft Entra ID together within 30 minutes. Panther counts the failures of both identity providers in one window (the rule has no dedup() and a constant title), as a password spray across both would show.
# fidelity: approximate
# target-first-log-type: cwl: only the first log type (Okta.SystemLog) is queried; Azure.Audit left out
# target-threshold-window: cwl: threshold counted in fixed 30m bins, not Panther's dedup window that opens at the first event
fields @timestamp, client.ipAddress, properties.ipAddress
| filter eventType = "user.session.start"
| filter outcome.result = "FAILURE"
| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, latest(client.ipAddress) as oktaclientip, latest(properties.ipAddress) as entraclientip by bin(30m) as timeWindow
| filter eventCount >= 5
| sort eventCount desc
| limit 10000
