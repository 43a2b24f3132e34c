# Sample pypanther customisation (written for this project): the KMS rule narrowed to production.
# Constructs exercised:
#   - a subclass of a rule class imported from another module of the tree (kms_key_loss.py)
#   - an overridden constant, a new constant, rule() extending the base's through super()
#   - a helper method stubbed by a RuleMock in one test (pypanther patches the rule instance)
#   - severity() returning a severity name, dedup() overriding the base's (the threshold's group key)
#   - .override(...) of the subclass: threshold, dedup period, include_filters and exclude_filters
#     (functions of the event, lifted as conjuncts before rule())
from kms_key_loss import SampleKMSKeyLoss
from pypanther import RuleMock, RuleTest

PRODUCTION_ACCOUNTS = ("111122223333", "444455556666")


def break_glass(event):
    return event.deep_get("userIdentity", "sessionContext", "sessionIssuer", "userName", default="") == "break-glass"


class SampleKMSKeyLossProduction(SampleKMSKeyLoss):
    id = "Sample.PyPanther.KMS.KeyLoss.Production"
    display_name = "KMS key loss in a production account"
    KMS_LOSS_EVENTS = {"DisableKey", "ScheduleKeyDeletion", "DeleteImportedKeyMaterial"}

    def in_change_window(self, event):
        # stands in for a lookup of the change calendar: never open unless a test mocks it
        return False

    def rule(self, event):
        if self.in_change_window(event):
            return False
        return super().rule(event) and event.get("recipientAccountId") in PRODUCTION_ACCOUNTS

    def dedup(self, event):
        # one alert group per account (the threshold counts key-loss events per account)
        return event.get("recipientAccountId", "<NO_ACCOUNT>")

    def severity(self, event):
        if event.get("eventName") == "ScheduleKeyDeletion":
            return "HIGH"
        return "DEFAULT"

    tests = [
        RuleTest(
            name="Production key disabled",
            expected_result=True,
            log={"eventName": "DisableKey", "awsRegion": "eu-west-1", "recipientAccountId": "111122223333"},
        ),
        RuleTest(
            name="Imported key material deleted in production",
            expected_result=True,
            log={"eventName": "DeleteImportedKeyMaterial", "awsRegion": "us-east-1", "recipientAccountId": "444455556666"},
        ),
        RuleTest(
            name="Development account",
            expected_result=False,
            log={"eventName": "DisableKey", "awsRegion": "eu-west-1", "recipientAccountId": "999999999999"},
        ),
        RuleTest(
            name="Break-glass role (excluded)",
            expected_result=False,
            log={
                "eventName": "ScheduleKeyDeletion",
                "awsRegion": "eu-west-1",
                "recipientAccountId": "111122223333",
                "userIdentity": {"sessionContext": {"sessionIssuer": {"userName": "break-glass"}}},
            },
        ),
        RuleTest(
            name="Sandbox region (not included)",
            expected_result=False,
            log={"eventName": "DisableKey", "awsRegion": "ap-east-1", "recipientAccountId": "111122223333"},
        ),
        RuleTest(
            name="Inside the change window",
            expected_result=False,
            mocks=[RuleMock(object_name="in_change_window", return_value=True)],
            log={"eventName": "DisableKey", "awsRegion": "eu-west-1", "recipientAccountId": "111122223333"},
        ),
    ]


SampleKMSKeyLossProduction.override(
    threshold=2,
    dedup_period_minutes=30,
    include_filters=[lambda event: event.get("awsRegion") != "ap-east-1"],
    exclude_filters=[break_glass],
)
