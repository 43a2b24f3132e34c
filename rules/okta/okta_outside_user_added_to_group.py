# Sample rule: a user whose login is outside the organisation's email domains was added to an Okta
# group.
# Constructs exercised:
#   - any(...) over event.get("target", []) whose body reads a piece of a split of the element's
#     field read with a default (t.get("alternateId", "@").split("@")[-1]): KQL writes the split
#     on the mv-apply column
#   - `not in CONST` on that piece, `==` on another element field

ORG_DOMAINS = {"example.com", "corp.example.com"}


def rule(event):
    if event.get("eventType") != "group.user_membership.add":
        return False
    return any(
        t.get("type") == "User" and t.get("alternateId", "@").split("@")[-1] not in ORG_DOMAINS
        for t in event.get("target", [])
    )


def title(event):
    return f"Outside user added to an Okta group by [{event.deep_get('actor', 'alternateId', default='<UNKNOWN>')}]"
