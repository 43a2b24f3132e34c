# Panther rule Sample.GitHub.BranchProtectionDisabled (rules/github/github_branch_protection_disabled.yml + rules/github/github_branch_protection_disabled.py)
# Sample: GitHub Branch Protection Removed or Overridden
# A branch protection rule was deleted, or an administrator pushed past it. Branch protection enforces review and status checks before code reaches protected branches.
# fidelity: exact
fields @timestamp, actor, repo, name, action
| filter action in ["protected_branch.destroy", "protected_branch.policy_override"]
| sort @timestamp desc
| limit 10000
