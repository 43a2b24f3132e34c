# Panther rule Sample.PyPanther.GitHub.ProtectedRepoArchived (rules/pypanther/github_repo_rules.py)
# Protected repository archived
# fidelity: exact
fields @timestamp
| filter action = "repo.archived"
| filter repo =~ /^(?:infra-|prod-)/
| sort @timestamp desc
| limit 10000
