# Panther rule Sample.Box.Shield.SessionAlert (rules/box/box_shield_session_alert.yml + rules/box/box_shield_session_alert.py)
# Sample: Box Shield Suspicious Session
# Box Shield raised a high-risk alert about a session from an unusual location or with unusual behaviour. The alert's details arrive as an object or as its JSON text.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on additional_details (a JSON object in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, jsonParse(`additional_details`) as jsonAdditionaldetails
| filter `event_type` = "SHIELD_ALERT"
| filter `additional_details.shield_alert.risk_score` > 70 or jsonAdditionaldetails.`shield_alert`.`risk_score` > 70
| filter `additional_details.shield_alert.rule_category` in ["Suspicious Locations", "Suspicious Sessions"] or jsonAdditionaldetails.`shield_alert`.`rule_category` in ["Suspicious Locations", "Suspicious Sessions"]
| sort @timestamp desc
| limit 10000
