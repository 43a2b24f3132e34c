# Sample rule: an accepted inbound flow over an IP protocol the network does not expect (AWS.VPCFlow,
# read from the Sentinel table AWSVPCFlow that the Amazon Web Services connector ships).
# Constructs exercised:
#   - a dict whose keys are ints (IANA protocol numbers) and None: `in` tests the key as Python
#     hashes it (6 and 6.0 are one key; a list value raises TypeError), D[k] once `k in D` holds
#   - D.get(k, default) of such a dict by a field

# IANA protocol numbers -> whether an accepted inbound flow over it is expected (None: no protocol
# field, as in a NODATA or SKIPDATA record)
EXPECTED_INBOUND = {
    6: True,  # TCP
    17: True,  # UDP
    1: False,  # ICMP: expected only from inside
    None: True,
}
PROTOCOL_NAMES = {1: "ICMP", 6: "TCP", 17: "UDP", 47: "GRE", 50: "ESP"}


def rule(event):
    if event.get("action") != "ACCEPT" or event.get("flowDirection") != "ingress":
        return False
    protocol = event.get("protocol")
    if protocol in EXPECTED_INBOUND and EXPECTED_INBOUND[protocol]:
        return False
    # ICMP from the VPC's own range is expected
    return not (protocol == 1 and event.get("srcAddr", "").startswith("10."))


def title(event):
    name = PROTOCOL_NAMES.get(event.get("protocol"), "protocol")
    return f"Inbound {name} flow [{event.get('protocol')}] accepted from [{event.get('srcAddr')}]"


def alert_context(event):
    return {
        "srcAddr": event.get("srcAddr"),
        "dstAddr": event.get("dstAddr"),
        "protocol": event.get("protocol"),
        "interfaceId": event.get("interfaceId"),
    }
