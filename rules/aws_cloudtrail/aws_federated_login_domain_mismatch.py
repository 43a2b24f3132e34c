# Sample rule: a federated console sign-in whose session name (an email address) is in another domain
# than the one the SAML subject names.
# Constructs exercised:
#   - != between two computed strings: the last piece of a split on "@" of two fields, each read with
#     the default "@" (whose last piece is "")


def rule(event):
    if event.get("eventName") != "ConsoleLogin":
        return False
    session = event.deep_get("userIdentity", "principalId", default="@").split("@")[-1]
    subject = event.deep_get("additionalEventData", "SamlSubject", default="@").split("@")[-1]
    return session != subject


def title(event):
    return f"Federated sign-in of [{event.deep_get('userIdentity', 'principalId', default='<UNKNOWN>')}] names another domain"
