# Panther rule Sample.Okta.SensitiveAppAssigned (rules/okta/okta_sensitive_app_assigned.yml + rules/okta/okta_sensitive_app_assigned.py)
# Sample: User Assigned to a Sensitive Okta Application
# A user was assigned to an Okta application that grants access to cloud administration or payroll data.
# fidelity: approximate
# target-quantifier: cwl: any()/all() over a list is not expressed in Logs Insights; replaced by its superset
fields @timestamp
| filter eventType = "application.user_membership.add"
| sort @timestamp desc
| limit 10000
