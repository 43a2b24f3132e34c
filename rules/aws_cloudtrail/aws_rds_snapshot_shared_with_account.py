# Sample rule: an RDS snapshot shared with a named AWS account.
# Constructs exercised:
#   - any() over a list of strings with the truthiness of the element and a comparison with a constant
#     (Logs Insights: `unnest` of the list, the element's truthiness `not (isempty(item))`, as the tests
#     show its values as strings: cwl/printer.ts truthy)


def rule(event):
    if event.get("eventName") != "ModifyDBSnapshotAttribute":
        return False
    accounts = event.deep_get("requestParameters", "valuesToAdd", default=[])
    return any(account for account in accounts if account != "all")


def title(event):
    return f"RDS snapshot shared by [{event.deep_get('userIdentity', 'arn')}]"
