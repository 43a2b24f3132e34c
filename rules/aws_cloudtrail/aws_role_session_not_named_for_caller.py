# Sample rule: a user assumed a role of the account itself under a session name that does not start
# with the user's own name (the part of "first.last" before the first dot).
# Constructs exercised:
#   - str.startswith() between two computed strings: an f-string holding a field read without a
#     default (str(None) is "None"), against a field read with a non-empty default
#   - the first piece of a split on "." (a regex operator) read with a default that holds the separator
#   - s.startswith("") is True: a caller name starting with "." leaves no prefix to require


def rule(event):
    if event.get("eventSource") != "sts.amazonaws.com" or event.get("eventName") != "AssumeRole":
        return False
    role_arn = event.deep_get("requestParameters", "roleArn", default="arn:aws:iam::unknown")
    # roles of other accounts are the cross-account rule's concern
    if not role_arn.startswith(f"arn:aws:iam::{event.get('recipientAccountId')}:"):
        return False
    caller = event.deep_get("userIdentity", "userName", default="unknown.user")
    session = event.deep_get("requestParameters", "roleSessionName", default="")
    return not session.startswith(caller.split(".")[0])


def title(event):
    return (
        f"[{event.deep_get('userIdentity', 'userName', default='<UNKNOWN>')}] assumed "
        f"[{event.deep_get('requestParameters', 'roleArn', default='<UNKNOWN>')}] as "
        f"[{event.deep_get('requestParameters', 'roleSessionName', default='<NONE>')}]"
    )
