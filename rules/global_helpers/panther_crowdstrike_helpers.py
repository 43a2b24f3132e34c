"""CrowdStrike Falcon Data Replicator (FDR) helpers for this project's sample rules."""

# sensor id (aid) -> role of the host; in production this would come from an inventory lookup
HOST_ROLES = {
    "a1b2c3d4e5f60718293a4b5c6d7e8f90": "build-agent",
    "0f9e8d7c6b5a49382716f5e4d3c2b1a0": "admin-jumpbox",
}


def crowdstrike_host_role(aid):
    """The role of the host with this sensor id, 'workstation' when it is not inventoried."""
    return HOST_ROLES.get(aid, "workstation")


def crowdstrike_process_context(event):
    """The standard alert context for CrowdStrike process events."""
    return {
        "aid": event.get("aid"),
        "event_simpleName": event.get("event_simpleName"),
        "computer": event.deep_get("event", "ComputerName"),
        "user": event.deep_get("event", "UserName"),
        "image": event.deep_get("event", "ImageFileName"),
        "command_line": event.deep_get("event", "CommandLine"),
    }
