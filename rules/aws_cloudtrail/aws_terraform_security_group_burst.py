# Sample rule: a burst of security group ingress/egress authorisations made by Terraform.
# Constructs exercised:
#   - `in CONST` of values sharing a prefix (YARA-L: one regex saying the prefix once)
#   - fnmatch glob with `?` inside and `*` at both ends (YARA-L: the search between the stars)
#   - a threshold whose title reads a field the condition fixes (YARA-L: its match variable is never
#     empty, so no allow_zero_values)
from fnmatch import fnmatch

AUTHORIZE_EVENTS = {"AuthorizeSecurityGroupEgress", "AuthorizeSecurityGroupIngress"}


def rule(event):
    if event.get("eventSource") != "ec2.amazonaws.com" or event.get("eventName") not in AUTHORIZE_EVENTS:
        return False
    return fnmatch(event.get("userAgent", ""), "*HashiCorp/?.0 Terraform/*")


def title(event):
    return f"Burst of security group authorisations made by Terraform in {event.get('eventSource')}"
