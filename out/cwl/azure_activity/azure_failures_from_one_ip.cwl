# Panther rule Sample.Azure.FailuresFromOneIP (rules/azure_activity/azure_failures_from_one_ip.yml + rules/azure_activity/azure_failures_from_one_ip.py)
# Sample: Failed Entra ID Sign-Ins and Azure Operations from One Address
# Five or more failures from one IP address within 30 minutes, counting failed Entra ID sign-ins and failed Azure control-plane operations together: an address trying credentials, then trying what they reach.
# log types: Azure.Audit, Azure.MonitorActivity (one query each, to run over that log type's log groups: the filters differ)
# fidelity: approximate
# target-unsupported-construct: cwl: membership in a list holding booleans, nulls, lists or mappings cannot be expressed in Logs Insights; replaced by its superset
# target-threshold-window: cwl: threshold counted in fixed 30m bins, not Panther's dedup window that opens at the first event
# target-threshold-split: cwl: the threshold is counted in each log type's query (Azure.Audit, Azure.MonitorActivity); Panther counts the events of all of them together
# query 1 of 2: Azure.Audit
fields @timestamp, operationName
| filter operationName = "Sign-in activity"
| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, latest(operationName) as operation by callerIpAddress, bin(30m) as timeWindow
| filter eventCount >= 5
| sort eventCount desc
| limit 10000
# query 2 of 2: Azure.MonitorActivity
fields @timestamp, operationName
| filter resultType = "Failure"
| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, latest(operationName) as operation by callerIpAddress, bin(30m) as timeWindow
| filter eventCount >= 5
| sort eventCount desc
| limit 10000
