# Sample rule: CloudTrail logging was stopped or a trail was deleted.
# Constructs exercised:
#   - local variable assignments, then `return a and b and c`
#   - module constants: a tuple and a string constant
#   - `in CONST` (tuple), `==`
#   - event["k"] (eventName is present in every test log)
#   - helper import from rules/global_helpers used in rule() (aws_cloudtrail_success)
#   - title() with an f-string; alert_context() returning a helper dict
from panther_aws_helpers import aws_cloudtrail_success, aws_rule_context

CLOUDTRAIL_SOURCE = "cloudtrail.amazonaws.com"
TRAIL_STOP_EVENTS = ("StopLogging", "DeleteTrail")


def rule(event):
    succeeded = aws_cloudtrail_success(event)
    stopped = event["eventName"] in TRAIL_STOP_EVENTS
    from_cloudtrail = event.get("eventSource") == CLOUDTRAIL_SOURCE
    return succeeded and stopped and from_cloudtrail


def title(event):
    trail = event.deep_get("requestParameters", "name", default="<UNKNOWN_TRAIL>")
    actor = event.deep_get("userIdentity", "arn", default="<UNKNOWN_ACTOR>")
    return f"CloudTrail [{trail}] was disabled by [{actor}] ({event['eventName']})"


def alert_context(event):
    return aws_rule_context(event)
