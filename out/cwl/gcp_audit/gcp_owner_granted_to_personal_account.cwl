# Panther rule Sample.GCP.OwnerGrantedToPersonalAccount (rules/gcp_audit/gcp_owner_granted_to_personal_account.yml + rules/gcp_audit/gcp_owner_granted_to_personal_account.py)
# Sample: GCP Owner Granted to a Personal Account
# An IAM policy set on a project gives the Owner role to a personal Google account (gmail.com).
# fidelity: exact
fields @timestamp, jsonParse(@message) as jsonMessage
| unnest jsonMessage.protoPayload.request.policy.bindings into bindingsItem
| unnest bindingsItem.members into membersItem
| filter protoPayload.methodName = "SetIamPolicy"
| filter bindingsItem.role = "roles/owner"
| filter not (membersItem =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter membersItem =~ /@gmail\.com$|@googlemail\.com$/
| sort @timestamp desc
| limit 10000
