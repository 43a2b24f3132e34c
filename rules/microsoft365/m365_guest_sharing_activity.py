# Sample rule: a B2B guest account shared content or changed mail forwarding in Microsoft 365.
# Constructs exercised:
#   - one rule over two log types whose events share their field names (Exchange and SharePoint
#     audit records of the unified audit log)
#   - set constant, `not in CONST`
#   - `event.get(k, default)`
#   - fnmatch glob with `*` inside and a literal end (`not fnmatch(...)`)
#   - substring `in`, `.lower().endswith(...)` (case-insensitive suffix)
#   - alert_context() returning an inline dict
from fnmatch import fnmatch

SHARING_OPERATIONS = {
    "AnonymousLinkCreated",
    "SharingInvitationCreated",
    "AddedToSecureLink",
    "New-InboxRule",
    "Set-Mailbox",
}
# automation accounts that create sharing links on behalf of guests
SERVICE_ACCOUNTS = "svc-*@*.onmicrosoft.com"


def rule(event):
    if event.get("Operation") not in SHARING_OPERATIONS:
        return False
    user = event.get("UserId", "")
    if fnmatch(user, SERVICE_ACCOUNTS):
        return False
    # a B2B guest's user principal name carries #EXT# before the host tenant's domain
    return "#EXT#" in user and user.lower().endswith(".onmicrosoft.com")


def alert_context(event):
    return {
        "operation": event.get("Operation"),
        "user": event.get("UserId"),
        "workload": event.get("Workload"),
        "object": event.get("ObjectId"),
    }
