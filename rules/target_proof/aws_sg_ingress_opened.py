# Sample rule: a security group opened to new ingress by a write call that succeeded.
# Pins target truthiness by type:
#   - readOnly is a JSON boolean in CloudTrail: `false` is falsy in Python (not "" or null)
#   - ipPermissions.items is a list: `[]` is falsy
#   - errorCode is a string: missing, null and "" are falsy


def rule(event):
    if event.get("readOnly"):
        return False
    if event.get("eventName") != "AuthorizeSecurityGroupIngress":
        return False
    if not event.deep_get("requestParameters", "ipPermissions", "items"):
        return False
    return not event.get("errorCode")


def title(event):
    return f"Security group ingress opened by [{event.deep_get('userIdentity', 'arn')}]"
