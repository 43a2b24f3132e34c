# Sample rule: a break-glass session (role session name "bg-<operator>") opened by an operator who is
# not on the break-glass roster. For an assumed role, CloudTrail's userIdentity.principalId is
# "<role id>:<role session name>".
# Constructs exercised:
#   - a slice of a split piece, lowered, tested against a set: `parts[1][3:].lower() not in ROSTER`
#     (common/split.ts `from`): Sigma, YARA-L and Logs Insights write it as a regex on principalId, the
#     piece's first 3 characters skipped (`[^:]{3}`); beside `len(parts) < 2` and `parts[1].startswith()`


BREAK_GLASS_ROSTER = {"alice", "bob"}


def rule(event):
    if event.deep_get("userIdentity", "type") != "AssumedRole":
        return False
    parts = event.deep_get("userIdentity", "principalId", default="").split(":")
    if len(parts) < 2 or not parts[1].startswith("bg-"):
        return False
    return parts[1][3:].lower() not in BREAK_GLASS_ROSTER


def title(event):
    return f"Break-glass session [{event.deep_get('userIdentity', 'principalId')}] is off the roster"
