# Panther rule Sample.GSuite.DomainSettingChangedByNonOwner (rules/gsuite/gsuite_domain_setting_changed_by_non_owner.yml + rules/gsuite/gsuite_domain_setting_changed_by_non_owner.py)
# Sample: Domain Setting Changed by an Admin Who Does Not Own the Domains
# A Google Workspace domain setting (the domain list, sharing domains) was changed by an admin who is not listed as an owner of the customer's domains.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on id.customerId (a JSON object in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, jsonParse(@message) as jsonMessage
| unnest jsonMessage.events into eventsItem
| filter not (isempty(actor.email))
| filter id.applicationName = "admin"
| filter eventsItem.name in ["CHANGE_ALLOWED_DOMAINS", "CHANGE_DOMAIN_SETTING"]
| filter eventsItem.type = "DOMAIN_SETTINGS"
| sort @timestamp desc
| limit 10000
