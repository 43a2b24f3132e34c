# Sample rule: a Box Shield alert about a suspicious session with a high risk score.
# Constructs exercised:
#   - additional_details holds the alert as an object, or as its JSON text: parsed with json.loads
#     inside try/except (a JSON validity test) when it is a str (an isinstance test)
#   - a test on additional_details.shield_alert.* decides that additional_details is no str (common/
#     typefacts.ts); the tests on the parsed document do not decide the validity test here, as the tests
#     also hold additional_details as an object (what jsonParse() makes of an object is undocumented, and
#     KQL's parse_json(tostring()) reads one): Logs Insights declares it, KQL and Sentinel are exact
import json

SESSION_CATEGORIES = ("Suspicious Locations", "Suspicious Sessions")


def shield_alert(event):
    details = event.get("additional_details", {})
    if isinstance(details, str):
        try:
            details = json.loads(details)
        except ValueError:
            return {}
    return details.get("shield_alert", {})


def rule(event):
    if event.get("event_type") != "SHIELD_ALERT":
        return False
    alert = shield_alert(event)
    return alert.get("rule_category", "") in SESSION_CATEGORIES and alert.get("risk_score", 0) > 70


def title(event):
    return f"Box Shield session alert for [{event.deep_get('created_by', 'login', default='<UNKNOWN_USER>')}]"
