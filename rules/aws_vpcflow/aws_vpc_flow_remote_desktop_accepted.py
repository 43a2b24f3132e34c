# Sample rule: a remote desktop port (RDP 3389, VNC 5900) accepted on an address (AWS.VPCFlow).
# Constructs exercised:
#   - YARA-L over the AWS_VPC_FLOW default parser: dstPort is target.port (an integer UDM field),
#     action security_result.action_details and dstAddr target.ip, each extracted unchanged
#   - an int field `in` a tuple of numbers, string equality, a truthiness test of a string field

REMOTE_DESKTOP_PORTS = (3389, 5900)


def rule(event):
    return (
        event.get("dstPort") in REMOTE_DESKTOP_PORTS
        and event.get("action") == "ACCEPT"
        and bool(event.get("dstAddr"))
    )


def title(event):
    return f"Remote desktop port [{event.get('dstPort')}] accepted on [{event.get('dstAddr')}]"
