# Sample rule: sudo run for a command (not to list one's privileges, `sudo -l`) in a Teleport SSH session.
# Constructs exercised:
#   - `"-l" not in event.get("argv", [])`: membership in a list read with a default, negated. Where argv is
#     missing Python tests the default (no "-l" in [], so the rule goes on): KQL's `not(py_contains(argv, "-l"))`
#     holds on a missing argv too, with no presence guard
def rule(event):
    if event.get("event") != "session.command" or event.get("program") != "sudo":
        return False
    return "-l" not in event.get("argv", [])
