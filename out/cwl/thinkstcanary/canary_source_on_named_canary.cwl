# Panther rule Sample.ThinkstCanary.TrapOnFileServer (rules/thinkstcanary/canary_source_on_named_canary.yml + rules/thinkstcanary/canary_source_on_named_canary.py)
# Sample: Thinkst Canary File Server Trap Touched
# Someone interacted with the Canary that poses as the finance file server.
# fidelity: exact
fields @timestamp
| filter CanaryName = "fin-fs01"
| filter not (isempty(SourceIP))
| sort @timestamp desc
| limit 10000
