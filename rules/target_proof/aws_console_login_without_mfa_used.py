# Sample rule: a successful console login that did not use MFA.
# Pins key casing: CloudTrail writes additionalEventData.MFAUsed and responseElements.ConsoleLogin;
# this rule spells them mfaUsed and consoleLogin, which Panther finds case-insensitively.


def rule(event):
    if event.get("eventName") != "ConsoleLogin":
        return False
    if event.deep_get("responseElements", "consoleLogin") != "Success":
        return False
    return event.deep_get("additionalEventData", "mfaUsed") == "No"
