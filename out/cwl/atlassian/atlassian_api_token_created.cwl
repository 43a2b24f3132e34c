# Panther rule Sample.Atlassian.ApiTokenCreated (rules/atlassian/atlassian_api_token_created.yml + rules/atlassian/atlassian_api_token_created.py)
# Sample: Atlassian API Token Created by an Organization Admin
# An Atlassian organization admin created an API token.
# fidelity: exact
fields @timestamp
| filter attributes.action = "api_token_created"
| filter attributes.actor.email =~ /@example\.com$/
| filter not (attributes.actor.email =~ /[\x0a-\x0d\x85‧-‰]$/)
| sort @timestamp desc
| limit 10000
