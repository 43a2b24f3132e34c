# Panther rule Sample.GCP.HTTPLoadBalancer.DeniedBySecurityPolicy (rules/gcp_http_lb/gcp_lb_denied_by_security_policy.yml + rules/gcp_http_lb/gcp_lb_denied_by_security_policy.py)
# Sample: Request Denied By A Cloud Armor Policy
# An HTTP(S) load balancer request log shows a request that a Cloud Armor security policy denied.
# fidelity: exact
fields @timestamp
| filter jsonPayload.statusDetails = "denied_by_security_policy"
| filter resource.type = "http_load_balancer"
| sort @timestamp desc
| limit 10000
