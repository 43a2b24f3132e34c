# Sample rule: an EBS volume was created with an encryption setting other than the one requested
# (an account default or a snapshot's setting overrode the request).
# Constructs exercised:
#   - != between two fields holding JSON booleans, each read with the default False: where one is
#     missing Python compares False with the other's boolean, where both are, False with False.
#     KQL reads each as `coalesce(tobool(x), false)`; Logs Insights compares them as 1/0 under ispresent();
#     YARA-L's fallback keys both on the leaf `encrypted` (one UDM field): the comparison is replaced by
#     its superset, saying so, rather than written as that field compared with itself


def rule(event):
    if event.get("eventSource") != "ec2.amazonaws.com" or event.get("eventName") != "CreateVolume":
        return False
    requested = event.deep_get("requestParameters", "encrypted", default=False)
    created = event.deep_get("responseElements", "encrypted", default=False)
    return requested != created


def title(event):
    return f"EBS volume [{event.deep_get('responseElements', 'volumeId', default='<UNKNOWN>')}] encryption differs from the request"
