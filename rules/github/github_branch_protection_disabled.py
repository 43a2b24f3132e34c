# Sample rule: GitHub branch protection removed or bypassed.
# Constructs exercised:
#   - event.get(k, default) with a local variable
#   - `not` + str.startswith(...)
#   - if/early-return chain with `or` and `==`, ending `return False`
#   - title() with an f-string
#   - alert_context() returning an inline dict


def rule(event):
    action = event.get("action", "")
    if not action.startswith("protected_branch."):
        return False
    if action == "protected_branch.destroy" or action == "protected_branch.policy_override":
        return True
    return False


def title(event):
    return (
        f"GitHub: [{event.get('actor', '<UNKNOWN_ACTOR>')}] disabled branch protection "
        f"on [{event.get('repo', '<UNKNOWN_REPO>')}] ({event.get('action')})"
    )


def alert_context(event):
    return {
        "actor": event.get("actor"),
        "repo": event.get("repo"),
        "branch": event.get("name"),
        "action": event.get("action"),
    }
