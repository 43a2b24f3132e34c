# Panther rule Sample.GitHub.RepoMadePublic (rules/github/github_repo_made_public.yml + rules/github/github_repo_made_public.py)
# Sample: GitHub Repository Made Public
# A repository's visibility was changed to public. Private source code, secrets in history and internal documentation become readable by anyone.
# fidelity: approximate
# target-regex-end-anchor: cwl: the end anchor $ of a regex also matches before a final line break in some regex engines (the Logs Insights flavour is not documented); the match may be wider on values ending in a line break
fields @timestamp, actor, repo, visibility
| filter action = "repo.access"
| filter visibility =~ /(?i)^public$/
| sort @timestamp desc
| limit 10000
