# Sample rule: an Office application starts a shell, or a download tool runs with a download flag
# (CrowdStrike FDR process events).
# Constructs exercised:
#   - `(parent, child) in SET_OF_TUPLES`, both items str (lower() and a piece of split()): the pair
#     equals an entry item by item
#   - event.deep_get() with a key chosen by an if-expression (the parent's field differs by platform)
#   - CONST.get(child) on the path where `child in CONST` holds: a loop over the list it gives,
#     returning True when a flag is among the command line's words
#   - helper alert_context(); title() f-string

from panther_crowdstrike_helpers import crowdstrike_process_context

SUSPICIOUS_PAIRS = {
    ("winword.exe", "cmd.exe"),
    ("winword.exe", "powershell.exe"),
    ("excel.exe", "cmd.exe"),
    ("excel.exe", "powershell.exe"),
    ("outlook.exe", "mshta.exe"),
}

# download tools, and the arguments that make them fetch a file
TOOL_FLAGS = {
    "certutil.exe": ["-urlcache", "-verifyctl"],
    "bitsadmin.exe": ["/transfer", "/addfile"],
}


def rule(event):
    if event.get("event_simpleName") != "ProcessRollup2":
        return False
    parent_key = "ParentBaseFileName" if event.get("event_platform") == "Win" else "ParentImageFileName"
    parent = event.deep_get("event", parent_key, default="").lower().split("\\")[-1]
    child = event.deep_get("event", "ImageFileName", default="").lower().split("\\")[-1]
    if (parent, child) in SUSPICIOUS_PAIRS:
        return True
    if child in TOOL_FLAGS:
        words = event.deep_get("event", "CommandLine", default="").lower().split(" ")
        for flag in TOOL_FLAGS.get(child):
            if flag in words:
                return True
    return False


def title(event):
    return (
        f"Suspicious process [{event.deep_get('event', 'ImageFileName', default='<UNKNOWN>')}] "
        f"on [{event.deep_get('event', 'ComputerName', default='<UNKNOWN_HOST>')}]"
    )


def alert_context(event):
    return crowdstrike_process_context(event)
