# Panther rule Sample.Asana.IPAllowlistOpened (rules/asana/asana_ip_allowlist_opened.yml + rules/asana/asana_ip_allowlist_opened.py)
# Sample: Asana IP Allowlist Opened To The Internet
# An Asana workspace's IP allowlist was set to a single range starting with 0.0.0.0.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on details.new_value (a list in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp
| filter `event_type` = "workspace_ip_allowlist_changed"
| sort @timestamp desc
| limit 10000
