# Sample rule: inbound SSH accepted from outside the VPC (AWS.VPCFlow, read from the Sentinel table
# AWSVPCFlow that the Amazon Web Services connector ships).
# Constructs exercised:
#   - an int field compared with a number (the AWSVPCFlow DstPort column is typed int)
#   - string equality, `not in` a tuple constant, `str.startswith` on a missing-safe default

ALLOWED_SOURCE_PREFIXES = ("10.", "192.168.")


def rule(event):
    if event.get("dstPort") != 22 or event.get("action") != "ACCEPT":
        return False
    if event.get("flowDirection") != "ingress":
        return False
    return not event.get("srcAddr", "").startswith(ALLOWED_SOURCE_PREFIXES)


def title(event):
    return f"SSH from [{event.get('srcAddr')}] accepted on [{event.get('dstAddr')}]"


def alert_context(event):
    return {
        "srcAddr": event.get("srcAddr"),
        "dstAddr": event.get("dstAddr"),
        "vpcId": event.get("vpcId"),
        "interfaceId": event.get("interfaceId"),
    }
