# Sample rule: a Snyk group service account was deleted by a user (Snyk.GroupAudit).
# Constructs exercised:
#   - YARA-L over the SNYK_SDLC default parser: `event` is metadata.product_event_type and `userId`
#     principal.user.userid, both "directly mapped" by the parser
#   - a truthiness test of a string field (not missing and not empty)


def rule(event):
    return event.get("event") == "group.service_account.delete" and bool(event.get("userId"))


def title(event):
    return f"Snyk group service account [{event.deep_get('content', 'serviceAccountName')}] deleted"
