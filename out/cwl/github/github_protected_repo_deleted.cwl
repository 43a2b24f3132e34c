# Panther rule Sample.GitHub.ProtectedRepoDeleted (rules/github/github_protected_repo_deleted.yml + rules/github/github_protected_repo_deleted.py)
# Sample: GitHub Protected Repository Deleted or Archived
# A repository whose name matches one of the protected patterns (production services, infrastructure, security tooling) was deleted or archived by someone other than the approved repository-lifecycle automation.
# fidelity: approximate
# target-regex-end-anchor: cwl: the end anchor $ of a regex also matches before a final line break in some regex engines (the Logs Insights flavour is not documented); the match may be wider on values ending in a line break
fields @timestamp, actor, action, repo, org, `actor_location.country_code`
| filter action in ["repo.archived", "repo.destroy"]
| filter (not (repo =~ /[\x0a-\x0d\x85‧-‰]$/) and repo =~ /\x2fsigning-keys$|^(?:acme-corp\x2f[\s\S]*-infra)$/) or repo =~ /terraform-state|^acme-corp\x2fprod-|^(?:acme-corp\x2fsecurity-[\s\S])$/ or repo = "acme-corp/vault"
| filter not (ispresent(actor)) or actor != "acme-repo-janitor[bot]"
| filter not (repo =~ /^acme-corp\x2fsandbox-/) or isempty(repo)
| sort @timestamp desc
| limit 10000
