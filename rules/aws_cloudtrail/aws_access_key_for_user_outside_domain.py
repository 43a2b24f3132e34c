# Sample rule: an IAM user created an access key for another user whose name is outside the
# actor's own email domain (IAM user names here are email addresses).
# Constructs exercised:
#   - str.endswith() between two fields: the right side an f-string of a field read with a
#     default ("user/{name}"), and a piece of a split read with a default ("@" when missing)
#   - s.endswith("") is True: an actor without a user name leaves no domain to compare
#   - title() f-string; inline alert_context()


def rule(event):
    if event.get("eventSource") != "iam.amazonaws.com" or event.get("eventName") != "CreateAccessKey":
        return False
    if event.get("errorCode"):
        return False
    actor_arn = event.deep_get("userIdentity", "arn", default="")
    key_owner = event.deep_get("responseElements", "accessKey", "userName", default="")
    # a user creating a key for themselves is routine
    if actor_arn.endswith(f"user/{key_owner}"):
        return False
    # keys for users of the actor's own domain are left to the access review
    actor_domain = event.deep_get("userIdentity", "userName", default="@").split("@")[-1]
    return not key_owner.endswith(actor_domain)


def title(event):
    return (
        f"[{event.deep_get('userIdentity', 'arn', default='<UNKNOWN>')}] created an access key for "
        f"[{event.deep_get('responseElements', 'accessKey', 'userName', default='<UNKNOWN>')}]"
    )


def alert_context(event):
    return {
        "actor": event.deep_get("userIdentity", "arn"),
        "keyOwner": event.deep_get("responseElements", "accessKey", "userName"),
        "sourceIPAddress": event.get("sourceIPAddress"),
    }
