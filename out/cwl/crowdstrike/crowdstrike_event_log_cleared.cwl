# Panther rule Sample.Crowdstrike.EventLogCleared (rules/crowdstrike/crowdstrike_event_log_cleared.yml + rules/crowdstrike/crowdstrike_event_log_cleared.py)
# Sample: Windows Event Log Cleared with wevtutil
# wevtutil.exe was run with its cl (clear-log) command, which erases a Windows event log.
# fidelity: exact
fields @timestamp
| filter event.ImageFileName =~ /\\wevtutil\.exe$/
| filter not (event.ImageFileName =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter `fdr_event_type` = "ProcessRollup2"
| filter event.CommandLine =~ /(?:^| )cl |(?:^| )clear-log / or (not (event.CommandLine =~ /[\x0a-\x0d\x85‧-‰]$/) and event.CommandLine =~ /(?:^| )cl$|(?:^| )clear-log$/)
| sort @timestamp desc
| limit 10000
