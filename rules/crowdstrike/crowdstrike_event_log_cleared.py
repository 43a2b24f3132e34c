# Sample rule: wevtutil used to clear a Windows event log (`wevtutil cl <log>` or `clear-log`).
# Constructs exercised:
#   - membership of a word in the pieces of a split on one character (`"cl" in cmd.split(" ")`):
#     Logs Insights `(?:^| )cl ` or `(?:^| )cl$` on the command line (a word, not a substring)
WEVTUTIL_CLEAR = ("cl", "clear-log")


def rule(event):
    if event.get("fdr_event_type", "") != "ProcessRollup2":
        return False
    if not event.deep_get("event", "ImageFileName", default="").endswith("\\wevtutil.exe"):
        return False
    words = event.deep_get("event", "CommandLine", default="").split(" ")
    return any(word in words for word in WEVTUTIL_CLEAR)
