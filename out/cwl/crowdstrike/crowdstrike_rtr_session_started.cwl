# Panther rule Sample.Crowdstrike.RealTimeResponseSessionStarted (rules/crowdstrike/crowdstrike_rtr_session_started.yml + rules/crowdstrike/crowdstrike_rtr_session_started.py)
# Sample: CrowdStrike Real Time Response Session Started
# A Falcon Real Time Response session, which gives a console on the host, was opened.
# fidelity: exact
fields @timestamp
| filter metadata.eventType = "RemoteResponseSessionStartEvent"
| sort @timestamp desc
| limit 10000
