# Panther rule Sample.Slack.ExportStarted (rules/slack/slack_export_started.yml + rules/slack/slack_export_started.py)
# Sample: Slack Data Export Started
# A Slack data export was started (manual, scheduled or single-user). Exports contain message history and files and are a convenient way to exfiltrate a workspace.
# fidelity: approximate
# target-regex-end-anchor: cwl: the end anchor $ of a regex also matches before a final line break in some regex engines (the Logs Insights flavour is not documented); the match may be wider on values ending in a line break
fields @timestamp, action, actor.user.email, entity.workspace.domain, `context.ip_address`
| filter action like "export"
| filter action =~ /_started$/
| sort @timestamp desc
| limit 10000
