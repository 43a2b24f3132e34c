# NEXT-CONSTRUCT rule (for the lifter's next milestone): case folding.
#   event.get("visibility", "").lower() == "public"
# Other constructs: `return a and b`, `==`, event.get(k, default), a test log with the
# compared field missing entirely, alert_context() returning an inline dict.


def rule(event):
    return (
        event.get("action", "") == "repo.access"
        and event.get("visibility", "").lower() == "public"
    )


def title(event):
    return f"GitHub: [{event.get('actor', '<UNKNOWN_ACTOR>')}] made [{event.get('repo', '<UNKNOWN_REPO>')}] public"


def alert_context(event):
    return {
        "actor": event.get("actor"),
        "repo": event.get("repo"),
        "visibility": event.get("visibility"),
    }
