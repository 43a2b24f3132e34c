# Panther rule Sample.Simple.Okta.ManyAccountLockouts (rules/simple/okta_many_account_lockouts.yml)
# Sample (simple): Many Okta Accounts Locked Out Within an Hour
# Five or more Okta accounts locked out within an hour of the first lockout: a password spray across the directory. The rule has no alert context: its summary attributes (the locked-out users and the client addresses) summarize every event of the alert, so the KQL and Sentinel queries collect them over the window as sets.
# fidelity: approximate
# target-threshold-window: cwl: threshold counted in fixed 60m bins, not Panther's dedup window that opens at the first event
fields @timestamp, actor.alternateId, client.ipAddress
| filter eventType = "user.account.lock"
| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, latest(actor.alternateId) as actoralternateId, latest(client.ipAddress) as clientipAddress by bin(60m) as timeWindow
| filter eventCount >= 5
| sort eventCount desc
| limit 10000
