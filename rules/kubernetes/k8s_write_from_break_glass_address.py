# The address the break-glass bastion's egress NAT uses: writes through it are reviewed every time.
BREAK_GLASS_ADDRESS = "198.51.100.7"
WRITE_VERBS = ("create", "update", "patch", "delete")


def rule(event):
    if event.get("verb") not in WRITE_VERBS:
        return False
    # sourceIPs lists the client and every proxy on the way (the mapping types it a list)
    return BREAK_GLASS_ADDRESS in event.get("sourceIPs", [])


def title(event):
    return f"Kubernetes {event.get('verb')} through the break-glass bastion by {event.deep_get('user', 'username', default='<unknown>')}"
