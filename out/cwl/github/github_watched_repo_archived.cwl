# Panther rule Sample.GitHub.WatchedRepoArchived (rules/github/github_watched_repo_archived.yml + rules/github/github_watched_repo_archived.py)
# Sample: GitHub Watched Repository Archived
# A repository on the deployment's watch list was archived. The watch list ships empty.
# fidelity: exact
fields @timestamp
| filter 1 = 0
| sort @timestamp desc
| limit 10000
