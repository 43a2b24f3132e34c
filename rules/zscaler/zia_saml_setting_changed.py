# Sample rule: an admin turned SAML sign-in on or off in Zscaler Internet Access.
# Constructs exercised:
#   - `before != after` between two fields that hold booleans, each read with deep_get(..., default=""):
#     Sigma writes `|fieldref` exactly (booleans have no case, whose handling by |fieldref is
#     backend-defined), the case where both are absent decided by `x: null` selections; KQL compares
#     their text (a missing one reads "" to both, and the tests hold only booleans on both sides)
#   - nested deep_get of the NSS envelope (`event.action`, `event.category`)
def rule(event):
    if event.deep_get("event", "action") != "UPDATE":
        return False
    if event.deep_get("event", "category") != "AUTHENTICATION_SETTINGS":
        return False
    before = event.deep_get("event", "preaction", "samlEnabled", default="")
    after = event.deep_get("event", "postaction", "samlEnabled", default="")
    return before != after


def title(event):
    return f"ZIA: admin [{event.deep_get('event', 'adminid', default='<UNKNOWN>')}] changed SAML sign-in"
