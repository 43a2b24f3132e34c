# Sample rule: a console sign-in whose MFAUsed flag is not "Yes".
# Constructs exercised:
#   - `x is False` on a field the tests hold only as strings (no str is False: Logs Insights writes the
#     test's value where the field holds a string, its presence otherwise)


def rule(event):
    mfa = event.deep_get("additionalEventData", "MFAUsed")
    # a producer that wrote a JSON boolean here is not ours to judge
    if mfa is False:
        return False
    return event.get("eventName") == "ConsoleLogin" and mfa != "Yes"


def title(event):
    return f"Console sign-in without MFA by [{event.deep_get('userIdentity', 'arn', default='<UNKNOWN_ARN>')}]"
