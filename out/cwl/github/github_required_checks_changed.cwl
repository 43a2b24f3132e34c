# Panther rule Sample.GitHub.RequiredStatusChecksChanged (rules/github/github_required_checks_changed.yml + rules/github/github_required_checks_changed.py)
# Sample: Required Status Checks of a Protected Branch Changed
# The status checks a protected branch requires before merging were changed. The event shape (required_status_checks with its previous value) is this sample's own.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on previous.required_status_checks (a list in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
# target-unsupported-construct: cwl: a test on required_status_checks (a list in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
# target-quantifier: cwl: any()/all() over a list is not expressed in Logs Insights; replaced by its superset
fields @timestamp
| filter action = "protected_branch.update"
| sort @timestamp desc
| limit 10000
