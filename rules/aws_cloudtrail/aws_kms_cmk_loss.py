# Sample rule: KMS customer managed key disabled or scheduled for deletion.
# Constructs exercised:
#   - helper import from rules/global_helpers used in rule() (aws_cloudtrail_success)
#   - module constant: set
#   - `return <expr>` with `and` and `in CONST`
#   - event.get(k)
#   - alert_context() returning a helper dict (aws_rule_context)
#   - title() with an f-string
from panther_aws_helpers import aws_cloudtrail_success, aws_rule_context

KMS_KEY_LOSS_EVENTS = {"DisableKey", "ScheduleKeyDeletion"}


def rule(event):
    return aws_cloudtrail_success(event) and event.get("eventName") in KMS_KEY_LOSS_EVENTS


def title(event):
    key_id = event.deep_get("requestParameters", "keyId", default="<UNKNOWN_KEY>")
    return f"KMS key [{key_id}] was affected by [{event.get('eventName')}]"


def alert_context(event):
    return aws_rule_context(event)
