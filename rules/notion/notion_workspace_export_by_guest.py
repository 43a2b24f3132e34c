# Sample rule: a Notion workspace export started by a person who is neither a member nor an owner
# (a guest, or no role recorded).
# Constructs exercised:
#   - `event.deep_walk(...)` over paths the tests show no list on: each is the field itself, read as
#     `deep_get` reads it (src/targets/common/walk.ts; YARA-L: `additional.fields["event.type"]` of the
#     custom log type NOTION_AUDITLOGS, Sigma and Logs Insights the dotted field)
#   - `not in` a tuple on a field that may be missing (None is in no tuple)

MEMBER_ROLES = ("member", "owner")


def rule(event):
    if event.deep_walk("event", "type") != "workspace.content_exported":
        return False
    if event.deep_walk("event", "actor", "type") != "person":
        return False
    return event.deep_walk("event", "actor", "workspace_role") not in MEMBER_ROLES


def title(event):
    who = event.deep_walk("event", "actor", "person", "email", default="<unknown>")
    return f"Notion workspace exported by non-member [{who}]"
