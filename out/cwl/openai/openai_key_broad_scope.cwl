# Panther rule Sample.OpenAI.KeyBroadScope (rules/openai/openai_key_broad_scope.yml + rules/openai/openai_key_broad_scope.py)
# Sample: OpenAI API Key With a Broad Scope
# An API key was created or updated with a scope that reaches the whole organization (all, admin, organization:write, api_keys:write).
# fidelity: approximate
# target-quantifier: cwl: any()/all() over a list is not expressed in Logs Insights; replaced by its superset
fields @timestamp
| filter type = "api_key.created" or type = "api_key.updated"
| sort @timestamp desc
| limit 10000
