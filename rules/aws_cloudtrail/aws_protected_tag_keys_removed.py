# Sample rule: tag keys that access policies rely on were removed from an AWS resource.
# Constructs exercised:
#   - set() of a list read from the event (TypeError where it is missing or holds an object:
#     rule() raises, no alert), `CONST_SET & set(x)` and its truth
#   - set(CONST).intersection(set(x)) and len(...) > 0
#   - a test log where the list is missing entirely (set(None) raises) and one where it is a str
#     (set() of a str is its characters)

PROTECTED_TAG_KEYS = {"Owner", "DataClassification", "CostCenter"}
UNTAG_EVENTS = ["UntagResource", "DeleteTags", "RemoveTagsFromResource"]
COMPLIANCE_TAG_KEYS = ["DataClassification", "Retention"]


def rule(event):
    if event.get("eventName") not in UNTAG_EVENTS:
        return False
    removed = set(event.deep_get("requestParameters", "tagKeys"))
    return bool(PROTECTED_TAG_KEYS & removed)


def severity(event):
    removed = set(event.deep_get("requestParameters", "tagKeys", default=[]))
    if len(set(COMPLIANCE_TAG_KEYS).intersection(removed)) > 0:
        return "HIGH"
    return "MEDIUM"


def title(event):
    return f"Protected tag keys removed by {event.deep_get('userIdentity', 'arn', default='<unknown>')}"
