# Panther rule Sample.Anthropic.RepeatedPermissionDenials (rules/anthropic/anthropic_repeated_permission_denials.yml + rules/anthropic/anthropic_repeated_permission_denials.py)
# Sample: Repeated Anthropic API Permission Denials From One Caller
# One caller (an API key, else a member, else an address) was denied permission twenty times within a quarter of an hour: a key used beyond its scope, or probing of the organization's resources.
# fidelity: approximate
# target-threshold-key: cwl: Panther counts per dedup string, which depends on a condition: events are counted per value of each field it reads, which splits events whose strings are equal
# target-threshold-window: cwl: threshold counted in fixed 15m bins, not Panther's dedup window that opens at the first event
fields @timestamp
| filter type = "api_permission_denied"
| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen by `actor.api_key_id`, `actor.email_address`, `actor.ip_address`, bin(15m) as timeWindow
| filter eventCount >= 20
| sort eventCount desc
| limit 10000
