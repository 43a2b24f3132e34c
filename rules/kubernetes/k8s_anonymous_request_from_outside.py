# Sample rule: the API server allowed an anonymous request that came from outside the cluster network.
# Constructs exercised:
#   - ipaddress: ip_address(x).is_loopback and ip_address(x) in ip_network("10.0.0.0/8") inside
#     try/except ValueError: return False, in a module function
#   - any(<function call> for ip in event.get("sourceIPs", []))
#   - event.deep_get on a key holding dots ("authorization.k8s.io/decision")
#   - title() f-string; inline alert_context()
from ipaddress import ip_address, ip_network

ANONYMOUS_USERS = ("system:anonymous",)
PUBLIC_PATHS = ("/healthz", "/livez", "/readyz", "/version")


def outside_cluster(address):
    try:
        if ip_address(address).is_loopback:
            return False
        return ip_address(address) not in ip_network("10.0.0.0/8")
    except ValueError:
        return False


def rule(event):
    if event.deep_get("user", "username") not in ANONYMOUS_USERS:
        return False
    if event.deep_get("annotations", "authorization.k8s.io/decision") != "allow":
        return False
    if event.get("requestURI", "") in PUBLIC_PATHS:
        return False
    return any(outside_cluster(ip) for ip in event.get("sourceIPs", []))


def title(event):
    return f"Anonymous Kubernetes request to [{event.get('requestURI')}] allowed from {event.get('sourceIPs')}"


def alert_context(event):
    return {
        "requestURI": event.get("requestURI"),
        "verb": event.get("verb"),
        "sourceIPs": event.get("sourceIPs"),
        "userAgent": event.get("userAgent"),
        "reason": event.deep_get("annotations", "authorization.k8s.io/reason"),
    }
