# Panther rule Sample.GitHub.RepoMadePublic (rules/github/github_repo_made_public.yml + rules/github/github_repo_made_public.py)
# Sample: GitHub Repository Made Public
# A repository's visibility was changed to public. Private source code, secrets in history and internal documentation become readable by anyone.
# fidelity: exact
fields @timestamp, actor, repo, visibility
| filter action = "repo.access"
| filter visibility =~ /(?i)^publ(?-i:[Ii])c$/
| filter not (visibility =~ /[\x0a-\x0d\x85‧-‰]$/)
| sort @timestamp desc
| limit 10000
