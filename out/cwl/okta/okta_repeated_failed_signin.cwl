# Panther rule Sample.Okta.RepeatedFailedSignIn (rules/okta/okta_repeated_failed_signin.yml + rules/okta/okta_repeated_failed_signin.py)
# Sample: Repeated Failed Okta Sign-Ins
# Five or more failed Okta sign-ins for the same user within an hour, a sign of password guessing or credential stuffing against that account.
# fidelity: approximate
# target-threshold-window: cwl: threshold counted in fixed 60m bins, not Panther's dedup window that opens at the first event
fields @timestamp, actor.alternateId, outcome.reason, client.ipAddress, client.geographicalContext.city
| filter eventType = "user.session.start"
| filter outcome.result = "FAILURE"
| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, latest(outcome.reason) as reason, latest(client.ipAddress) as clientip, latest(client.geographicalContext.city) as city by actor.alternateId, bin(60m) as timeWindow
| filter eventCount >= 5
| sort eventCount desc
| limit 10000
