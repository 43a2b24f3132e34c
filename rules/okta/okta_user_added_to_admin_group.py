# NEXT-CONSTRUCT rule (for the lifter's next milestone): any(...) over an event array,
#   any(... for target in event.get("target", []))
# Other constructs: module constant (set), `==`, `in CONST` inside the generator, an
# if/early-return guard, a test log with `target` missing entirely, helper alert_context.
from panther_okta_helpers import okta_alert_context

PRIVILEGED_GROUPS = {"Okta Administrators", "AWS Admins", "Break Glass"}


def rule(event):
    if event.get("eventType") != "group.user_membership.add":
        return False
    return any(
        target.get("type") == "UserGroup" and target.get("displayName") in PRIVILEGED_GROUPS
        for target in event.get("target", [])
    )


def alert_context(event):
    return okta_alert_context(event)
