# Sample rule: a successful AWS console sign-in. The InlineFilters in the YAML narrow it to IAM
# users and root signing in from outside the corporate networks; rule() only checks the sign-in.


def rule(event):
    return (
        event.get("eventName") == "ConsoleLogin"
        and event.deep_get("responseElements", "ConsoleLogin") == "Success"
    )


def title(event):
    return f"Console sign-in by [{event.deep_get('userIdentity', 'arn')}] from [{event.get('sourceIPAddress')}]"


def alert_context(event):
    return {
        "sourceIPAddress": event.get("sourceIPAddress"),
        "userType": event.deep_get("userIdentity", "type"),
        "mfaUsed": event.deep_get("additionalEventData", "MFAUsed"),
    }
