# Sample rule over two log types of which only one can match: every MFA factor of a user was reset.
# Constructs exercised:
#   - a rule listing two log types whose condition rejects one of them through p_log_type: that log
#     type's branch selects nothing (its condition folds to false), so the KQL union leaves it out
#     instead of reading its table with `| where false`


def rule(event):
    # Okta records the reset of every factor as one event; Entra ID sign-in records never do
    if event.get("p_log_type") != "Okta.SystemLog":
        return False
    return event.get("eventType") == "user.mfa.factor.reset_all"


def title(event):
    return f"All MFA factors of [{event.deep_get('target', 0, 'alternateId', default='<unknown>')}] were reset"
