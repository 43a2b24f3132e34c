# Sample rule: System Integrity Protection reported off on a Mac.
# Constructs exercised:
#   - int() of a column osquery reports as text (the tests hold it only as strings), compared with a
#     number and tested for membership: Sigma and Logs Insights write the texts int() reads as those
#     numbers (whitespace, sign, leading zeros, `_`, any script's digits) as a regex (common/textnum.ts)
QUERIES = {"pack/mac-cis/SIPEnabled", "pack_osx-attacks_sip"}


def rule(event):
    if event.get("name") not in QUERIES or event.get("action") != "added":
        return False
    return int(event.deep_get("columns", "enabled", default="1")) == 0 or int(
        event.deep_get("columns", "config_flag", default="0")
    ) in [1, 2]
