# Panther rule Sample.AWS.WAF.CountedRuleNotAllowlisted (rules/aws_waf/aws_waf_counted_rule_not_allowlisted.yml + rules/aws_waf/aws_waf_counted_rule_not_allowlisted.py)
# Sample: AWS WAF Rule in COUNT Mode Matched a Request
# A request matched a web ACL rule that only counts (does not block), and none of the rules it matched is one of the allow-list rules. Rules left in COUNT mode after testing let such requests through.
# fidelity: approximate
# target-quantifier: cwl: any()/all() over a list is not expressed in Logs Insights; replaced by its superset
fields @timestamp, jsonParse(@message) as jsonMessage
| unnest jsonMessage.nonTerminatingMatchingRules into nonTerminatingMatchingRulesItem
| filter nonTerminatingMatchingRulesItem.action = "COUNT"
| sort @timestamp desc
| limit 10000
