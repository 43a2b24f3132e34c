# Panther rule Sample.Slack.ExportStarted (rules/slack/slack_export_started.yml + rules/slack/slack_export_started.py)
# Sample: Slack Data Export Started
# A Slack data export was started (manual, scheduled or single-user). Exports contain message history and files and are a convenient way to exfiltrate a workspace.
# fidelity: exact
fields @timestamp, action, actor.user.email, entity.workspace.domain, `context.ip_address`
| filter action like "export"
| filter action =~ /_started$/
| filter not (action =~ /[\x0a-\x0d\x85‧-‰]$/)
| sort @timestamp desc
| limit 10000
