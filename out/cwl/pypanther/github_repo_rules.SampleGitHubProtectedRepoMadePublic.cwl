# Panther rule Sample.PyPanther.GitHub.ProtectedRepoMadePublic (rules/pypanther/github_repo_rules.py)
# Protected repository made public
# fidelity: exact
fields @timestamp
| filter action = "repo.access"
| filter visibility = "public"
| filter repo =~ /^(?:infra-|prod-)/
| sort @timestamp desc
| limit 10000
