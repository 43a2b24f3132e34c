# Sample rule: IAM credentials created from an address on the public internet.
# Constructs exercised:
#   - ipaddress: ip_address(x).is_global inside try/except ValueError (CloudTrail puts a service
#     name such as "cloudformation.amazonaws.com" or "AWS Internal" in sourceIPAddress)
#   - set constant, `not in CONST`, helper import used in rule()
#   - severity() returning different severities by a condition; title() f-string; inline alert_context()
from ipaddress import ip_address

from panther_aws_helpers import aws_cloudtrail_success

CREDENTIAL_EVENTS = {"CreateAccessKey", "CreateLoginProfile", "UpdateLoginProfile"}


def from_internet(address):
    try:
        return ip_address(address).is_global
    except ValueError:
        return False


def rule(event):
    if event.get("eventName") not in CREDENTIAL_EVENTS:
        return False
    if not aws_cloudtrail_success(event):
        return False
    return from_internet(event.get("sourceIPAddress"))


def severity(event):
    # credentials created for somebody else are worse than a user rotating their own key
    target = event.deep_get("requestParameters", "userName")
    if target and target != event.deep_get("userIdentity", "userName"):
        return "HIGH"
    return "MEDIUM"


def title(event):
    return (
        f"[{event.deep_get('userIdentity', 'arn')}] called {event.get('eventName')} "
        f"for [{event.deep_get('requestParameters', 'userName', default='<SELF>')}] "
        f"from [{event.get('sourceIPAddress')}]"
    )


def alert_context(event):
    return {
        "sourceIPAddress": event.get("sourceIPAddress"),
        "userAgent": event.get("userAgent"),
        "actor": event.deep_get("userIdentity", "arn"),
        "targetUser": event.deep_get("requestParameters", "userName"),
    }
