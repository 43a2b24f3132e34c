# Sample rule: content shared with a participant outside the company's domain.
# Constructs exercised:
#   - any() over a list read with a non-empty default (`event.get("participants", [{}])`): where the list is
#     missing Python tests the body on the default's one empty participant. KQL reads the array as
#     `coalesce(participants, dynamic([{}]))`, so a missing list is not an empty one there
def rule(event):
    if event.deep_get("event_type", "_tag") != "shared_content_add_member":
        return False
    return any(
        not p.get("user", {}).get("email", "").endswith("@example.com")
        for p in event.get("participants", [{}])
    )
