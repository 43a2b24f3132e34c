# Sample rule: the set of status checks a protected branch requires was changed.
# Constructs exercised:
#   - set(x) != set(y) of two lists read from the event: order and repeats do not count
#   - set() of a missing list (TypeError: rule() raises, no alert); a default list for the other

def rule(event):
    if event.get("action") != "protected_branch.update":
        return False
    required = set(event.get("required_status_checks"))
    before = set(event.deep_get("previous", "required_status_checks", default=[]))
    return required != before
