# Panther rule Sample.GitHub.PRTitleCommandSubstitution (rules/github/github_pr_title_command_substitution.yml + rules/github/github_pr_title_command_substitution.py)
# Sample: GitHub Pull Request Title With Command Substitution
# A pull request was opened with a title holding shell command substitution (`$(...)` or a leading backtick). Workflows that interpolate the title into a run step execute it.
# fidelity: approximate
# target-unsupported-construct: cwl: the truthiness of `pull_request.title` (the tests show number and string values) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp
| filter action = "opened"
| filter `pull_request.title` =~ /\$\([^)]+\)|^`/
| sort @timestamp desc
| limit 10000
