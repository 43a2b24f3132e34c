# Sample rule: a known credential-theft tool runs on a Windows host (CrowdStrike FDR process events).
# Constructs exercised:
#   - a piece of a split of a lowered field: x.lower().split("\\")[-1] in CONST, and
#     .endswith() on the same piece; the separator is no letter, so the piece of the lowered path
#     is the lowered piece of the path (KQL: the piece compared with in~ / endswith)
#   - len(x.lower().split("\\")) (the same length as without lower())
#   - str() of a field read with a default, lowered and compared
#   - title() f-string

CREDENTIAL_TOOLS = {"mimikatz.exe", "procdump.exe", "lazagne.exe", "pypykatz.exe"}


def rule(event):
    if event.get("event_simpleName") != "ProcessRollup2":
        return False
    # the platform as text, in whatever case the sensor wrote it
    if str(event.get("event_platform", "")).lower() != "win":
        return False
    path = event.deep_get("event", "ImageFileName", default="")
    parts = path.lower().split("\\")
    # a bare file name (no folder) is a renamed copy run from the current directory: left to triage
    if len(parts) < 2:
        return False
    name = parts[-1]
    return name in CREDENTIAL_TOOLS or name.endswith("katz.ps1")


def title(event):
    return f"Credential tool run on [{event.deep_get('event', 'ComputerName', default='<UNKNOWN_HOST>')}]"
