# Sample rule: an administrator reset or deactivated a user's MFA factor.
# Constructs exercised:
#   - a key the rule's tests spell two ways (`eventType` and `eventtype`): Panther finds the key in another
#     casing where the log holds none as written; Sigma and Logs Insights read both spellings, the rule's
#     first (Logs Insights: `ispresent(eventType)`), two tests on the same key under one presence test
#   - a second key spelled two ways in the last key only (`outcome.result`, `outcome.RESULT`)


def rule(event):
    if event.get("eventType") not in ("user.mfa.factor.reset_all", "user.mfa.factor.deactivate"):
        return False
    if event.get("eventType") == "user.mfa.factor.deactivate" and event.get("severity") == "DEBUG":
        return False
    return event.deep_get("outcome", "result") == "SUCCESS"
