# Sample rule: the root user acting from the internal network (10.0.0.0/8) or from the host itself.
# Constructs exercised:
#   - ipaddress: ip_address(x) in ip_network(...) and ip_address(x).is_loopback inside try/except
#     ValueError; Python reads an int field as an address (ip_address(167772161) is 10.0.0.1), a case
#     the lift declares (opaque-ip-int) and a KQL/Sentinel string column (SourceIpAddress) rules out
from ipaddress import ip_address, ip_network

INTERNAL = ip_network("10.0.0.0/8")


def rule(event):
    if event.deep_get("userIdentity", "type") != "Root":
        return False
    try:
        address = ip_address(event.get("sourceIPAddress"))
    except ValueError:
        return False
    return address in INTERNAL or address.is_loopback


def title(event):
    return f"Root user called {event.get('eventName')} from internal address [{event.get('sourceIPAddress')}]"
