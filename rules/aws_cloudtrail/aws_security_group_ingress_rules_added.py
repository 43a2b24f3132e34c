# Sample rule: inbound rules added to an EC2 security group by a request that carried rules.
# Constructs exercised:
#   - the truthiness of a list of objects (requestParameters.ipPermissions.items) beside other tests
#     (Logs Insights: unnest the list and keep the records that hold an item)


def rule(event):
    if event.get("eventName") != "AuthorizeSecurityGroupIngress" or event.get("errorCode"):
        return False
    return bool(event.deep_get("requestParameters", "ipPermissions", "items"))


def title(event):
    return f"Inbound rules added to [{event.deep_get('requestParameters', 'groupId', default='<UNKNOWN_GROUP>')}]"
