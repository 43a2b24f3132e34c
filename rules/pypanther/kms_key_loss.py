# Sample pypanther rule (written for this project): a KMS key disabled or scheduled for deletion.
# Constructs exercised:
#   - a `Rule` subclass with string log_types / default_severity (no pypanther checkout needed)
#   - class constants read as self.X (a set, and a string built from another constant)
#   - a helper method called as self.succeeded(event), a helper imported from global_helpers/
#   - dedup() looping over an event list, title() f-string, alert_context() from a helper
#   - tests = [RuleTest(...)] with a log missing the condition field
from panther_aws_helpers import aws_cloudtrail_success, aws_rule_context
from pypanther import Rule, RuleTest


class SampleKMSKeyLoss(Rule):
    id = "Sample.PyPanther.KMS.KeyLoss"
    display_name = "KMS key disabled or scheduled for deletion"
    log_types = ["AWS.CloudTrail"]
    tags = ["AWS", "Impact:Data Destruction"]
    reports = {"MITRE ATT&CK": ["TA0040:T1485"]}
    default_severity = "MEDIUM"
    default_description = "A KMS key was disabled or scheduled for deletion.\n"
    default_runbook = "Check with the key owner that the change was intended."
    summary_attributes = ["eventName", "recipientAccountId"]
    KMS_LOSS_EVENTS = {"DisableKey", "ScheduleKeyDeletion"}
    KEY_SERVICE = "kms"
    KEY_TYPE = "AWS::" + KEY_SERVICE.upper() + "::Key"

    def succeeded(self, event):
        return aws_cloudtrail_success(event)

    def rule(self, event):
        return self.succeeded(event) and event.get("eventName") in self.KMS_LOSS_EVENTS

    def title(self, event):
        return f"KMS key [{event.deep_get('requestParameters', 'keyId', default='<UNKNOWN_KEY>')}] {event.get('eventName')}"

    def dedup(self, event):
        for resource in event.get("resources") or []:
            if resource.get("type", "") == self.KEY_TYPE:
                return resource.get("ARN")
        return event.get("eventName")

    def alert_context(self, event):
        return aws_rule_context(event)

    tests = [
        RuleTest(
            name="Key disabled",
            expected_result=True,
            log={
                "eventName": "DisableKey",
                "eventSource": "kms.amazonaws.com",
                "awsRegion": "eu-west-1",
                "recipientAccountId": "111122223333",
                "requestParameters": {"keyId": "k-1"},
                "resources": [{"ARN": "arn:aws:kms:eu-west-1:111122223333:key/k-1", "type": "AWS::KMS::Key"}],
            },
        ),
        RuleTest(
            name="Key scheduled for deletion",
            expected_result=True,
            log={
                "eventName": "ScheduleKeyDeletion",
                "eventSource": "kms.amazonaws.com",
                "awsRegion": "eu-west-1",
                "recipientAccountId": "111122223333",
                "requestParameters": {"keyId": "k-2", "pendingWindowInDays": 7},
            },
        ),
        RuleTest(
            name="Deletion that failed",
            expected_result=False,
            log={
                "eventName": "ScheduleKeyDeletion",
                "errorCode": "AccessDenied",
                "awsRegion": "eu-west-1",
                "recipientAccountId": "111122223333",
            },
        ),
        RuleTest(
            name="Other KMS call",
            expected_result=False,
            log={"eventName": "Decrypt", "awsRegion": "eu-west-1", "recipientAccountId": "111122223333"},
        ),
        RuleTest(
            name="No event name",
            expected_result=False,
            log={"awsRegion": "eu-west-1", "recipientAccountId": "111122223333"},
        ),
    ]
