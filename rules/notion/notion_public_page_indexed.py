def rule(event):
    if event.deep_get("event", "type") != "page.permissions.shared_to_web":
        return False
    # search-engine indexing makes the page findable by anyone
    if not event.deep_get("event", "details", "allow_search_engine_indexing"):
        return False
    return event.deep_get("event", "actor", "type") == "person"


def title(event):
    email = event.deep_get("event", "actor", "person", "email", default="<unknown>")
    return f"Notion page shared to the web and indexed by {email}"


def alert_context(event):
    return {
        "actor_email": event.deep_get("event", "actor", "person", "email"),
        "page_id": event.deep_get("event", "details", "target", "page_id"),
        "details": event.deep_get("event", "details"),
    }
