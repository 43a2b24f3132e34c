# Panther rule Sample.Proofpoint.MessageQuarantined (rules/proofpoint/proofpoint_message_delivered_to_quarantine.yml + rules/proofpoint/proofpoint_message_delivered_to_quarantine.py)
# Sample: Proofpoint Message Moved to the Phish Quarantine
# Proofpoint TAP moved a message to the phish quarantine folder.
# fidelity: exact
fields @timestamp
| filter not (isempty(GUID))
| filter quarantineFolder = "Phish"
| sort @timestamp desc
| limit 10000
