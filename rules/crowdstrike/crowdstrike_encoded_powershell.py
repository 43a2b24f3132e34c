# Sample rule: PowerShell started with a long base64 -EncodedCommand argument (CrowdStrike FDR).
# Constructs exercised:
#   - re.fullmatch on the event type; re.search with re.IGNORECASE on the image path and the command line
#   - a helper function imported from global_helpers and replaced in a test through Mocks
#     (crowdstrike_host_role), compared with `in CONST`
#   - helper alert_context(); title() f-string
import re

from panther_crowdstrike_helpers import crowdstrike_host_role, crowdstrike_process_context

# hosts whose automation legitimately runs encoded PowerShell
EXPECTED_ENCODED_ROLES = ("build-agent", "admin-jumpbox")


def rule(event):
    if not re.fullmatch(r"(Synthetic)?ProcessRollup2", event.get("event_simpleName", "")):
        return False
    if not re.search(r"\\(powershell|pwsh)(_ise)?\.exe$", event.deep_get("event", "ImageFileName", default=""), re.IGNORECASE):
        return False
    if not re.search(r"\s-e(nc(odedcommand)?)?\s+[a-z0-9+/=]{40,}", event.deep_get("event", "CommandLine", default=""), re.IGNORECASE):
        return False
    return crowdstrike_host_role(event.get("aid")) not in EXPECTED_ENCODED_ROLES


def title(event):
    return (
        f"Encoded PowerShell on [{event.deep_get('event', 'ComputerName', default='<UNKNOWN_HOST>')}] "
        f"by [{event.deep_get('event', 'UserName', default='<UNKNOWN_USER>')}]"
    )


def alert_context(event):
    return crowdstrike_process_context(event)
