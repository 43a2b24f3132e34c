# Panther rule Sample.Dropbox.ShareOutsideDomain (rules/dropbox/dropbox_share_outside_domain.yml + rules/dropbox/dropbox_share_outside_domain.py)
# Sample: Dropbox Content Shared Outside the Company Domain
# A member added a participant from outside example.com to shared content. A share event that names no participants is treated as one unknown participant.
# fidelity: approximate
# target-quantifier: cwl: any()/all() over a list is not expressed in Logs Insights; replaced by its superset
fields @timestamp
| filter `event_type._tag` = "shared_content_add_member"
| sort @timestamp desc
| limit 10000
