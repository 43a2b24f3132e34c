# Panther rule Sample.GCP.IAM.ServiceAccountKeyCreatedByOutsider (rules/gcp_audit/gcp_sa_key_created_by_outsider.yml + rules/gcp_audit/gcp_sa_key_created_by_outsider.py)
# Sample: GCP Service-Account Key Created Outside the Platform
# A service-account key was created by a principal whose subject does not start with one of the platform's own prefixes (system components, Google service agents, GKE, the Terraform pipeline). Long-lived keys created by hand are a common persistence step.
# fidelity: exact
fields @timestamp
| filter protoPayload.methodName = "google.iam.admin.v1.CreateServiceAccountKey"
| filter not (ispresent(protoPayload.authenticationInfo.principalSubject)) or not (protoPayload.authenticationInfo.principalSubject =~ /^(?:gke-|service-|system:|terraform-)/)
| sort @timestamp desc
| limit 10000
