# Panther rule Sample.Simple.Okta.ManyAccountLockouts (rules/simple/okta_many_account_lockouts.yml)
# Sample (simple): Many Okta Accounts Locked Out from One Address Within an Hour
# Five or more Okta account lockouts from one client address within an hour of the first: a password spray across the directory. The rule has no alert context: its summary attributes (the locked-out users, the outcome reasons) summarize every event of the alert, so the KQL and Sentinel queries collect them over the window as sets; the address is the grouping key.
# fidelity: approximate
# target-threshold-window: cwl: threshold counted in fixed 60m bins, not Panther's dedup window that opens at the first event
fields @timestamp, actor.alternateId, outcome.reason
| filter eventType = "user.account.lock"
| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, latest(actor.alternateId) as actoralternateId, latest(outcome.reason) as outcomereason by client.ipAddress, bin(60m) as timeWindow
| filter eventCount >= 5
| sort eventCount desc
| limit 10000
