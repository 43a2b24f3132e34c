# Sample rule: an Okta administrator role was granted to a user.
# Constructs exercised:
#   - helper imports from rules/global_helpers: deep_get (panther_base_helpers) used in rule(),
#     okta_alert_context (panther_okta_helpers) returned by alert_context()
#   - module constant: a string constant
#   - deep_get(event, "a", "b")
#   - substring test: `"x" in event.deep_get(..., default="")`
#   - `and` / `or`, `==`
#   - `return <expr>`
#   - title() with an f-string
from panther_base_helpers import deep_get
from panther_okta_helpers import okta_alert_context

GRANT_EVENT = "user.account.privilege.grant"


def rule(event):
    granted = event.deep_get("debugContext", "debugData", "privilegeGranted", default="")
    return (
        event.get("eventType") == GRANT_EVENT
        and deep_get(event, "outcome", "result") == "SUCCESS"
        and ("Super administrator" in granted or "Organization administrator" in granted)
    )


def title(event):
    actor = event.deep_get("actor", "alternateId", default="<UNKNOWN_ACTOR>")
    granted = event.deep_get("debugContext", "debugData", "privilegeGranted", default="<UNKNOWN_ROLE>")
    return f"Okta: [{actor}] granted [{granted}]"


def alert_context(event):
    return okta_alert_context(event)
