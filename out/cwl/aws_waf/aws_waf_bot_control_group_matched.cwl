# Panther rule Sample.AWS.WAF.BotControlGroupMatched (rules/aws_waf/aws_waf_bot_control_group_matched.yml + rules/aws_waf/aws_waf_bot_control_group_matched.py)
# Sample: AWS WAF Bot Control Rule Group Matched a Request
# A rule of the AWS Bot Control managed rule group matched a request, whether it blocked the request or only counted it.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on nonTerminatingMatchingRules (a list in the mapping) cannot be expressed in Logs Insights; replaced by its superset
# target-quantifier: cwl: any()/all() over a list is not expressed in Logs Insights; replaced by its superset
# target-unsupported-construct: cwl: a test on ruleGroupList (a list in the mapping) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp
| sort @timestamp desc
| limit 10000
