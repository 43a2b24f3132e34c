# Panther rule Sample.Simple.Okta.MFAPushDeniedRepeatedly (rules/simple/okta_mfa_push_denied_repeatedly.yml)
# Sample (simple): Okta MFA Pushes Denied Repeatedly for One User from One Address
# Three or more Okta Verify pushes denied by the same user for sign-ins from the same client address within ten minutes of the first: someone who knows the password may be pushing until the user accepts. The threshold counts per (user, address) pair, the two GroupBy keys.
# fidelity: approximate
# target-threshold-window: cwl: threshold counted in fixed 10m bins, not Panther's dedup window that opens at the first event
fields @timestamp, actor.alternateId, client.ipAddress
| filter eventType = "user.mfa.okta_verify.deny_push"
| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen by actor.alternateId, client.ipAddress, bin(10m) as timeWindow
| filter eventCount >= 3
| sort eventCount desc
| limit 10000
