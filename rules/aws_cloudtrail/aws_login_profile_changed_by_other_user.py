# Constructs: field-vs-field string relation (endswith an f-string of another field), `in` between two
# fields, early returns, helper import.
from panther_aws_helpers import aws_cloudtrail_success

PROFILE_EVENTS = {"CreateLoginProfile", "UpdateLoginProfile"}


def rule(event):
    if event.get("eventName") not in PROFILE_EVENTS or not aws_cloudtrail_success(event):
        return False
    target_user = event.deep_get("requestParameters", "userName", default="")
    actor_arn = event.deep_get("userIdentity", "arn", default="")
    # a user changing their own console password is routine
    if actor_arn.endswith(f"/{target_user}"):
        return False
    # an administrator named in the session tags is allowed to reset anyone
    if target_user and target_user in event.deep_get("userIdentity", "sessionContext", "tags", default=[]):
        return False
    return True


def title(event):
    return (
        f"[{event.deep_get('userIdentity', 'arn', default='<UNKNOWN>')}] changed the console password of "
        f"[{event.deep_get('requestParameters', 'userName', default='<UNKNOWN>')}]"
    )
