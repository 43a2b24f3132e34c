"""AWS CloudTrail helpers for this project's sample rules (pure, no boto3)."""


def aws_cloudtrail_success(event):
    """True when the CloudTrail record carries neither an errorCode nor an errorMessage."""
    if event.get("errorCode", "") or event.get("errorMessage", ""):
        return False
    return True


def aws_rule_context(event):
    """The standard alert context for CloudTrail rules."""
    return {
        "eventName": event.get("eventName", "<MISSING_EVENT_NAME>"),
        "eventSource": event.get("eventSource", "<MISSING_EVENT_SOURCE>"),
        "awsRegion": event.get("awsRegion", "<MISSING_AWS_REGION>"),
        "recipientAccountId": event.get("recipientAccountId", "<MISSING_ACCOUNT_ID>"),
        "sourceIPAddress": event.get("sourceIPAddress", "<MISSING_SOURCE_IP>"),
        "userAgent": event.get("userAgent", "<MISSING_USER_AGENT>"),
        "userIdentity": event.get("userIdentity", "<MISSING_USER_IDENTITY>"),
    }
