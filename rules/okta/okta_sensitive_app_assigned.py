# Sample rule: a user was given access to a sensitive application.
# Constructs exercised:
#   - a set collected by a loop over an event list: `apps = set()`, then
#     `for t in targets: if t.get("type") == "AppInstance": apps.add(t.get("displayName"))`
#   - `"x" in apps` of the collected set
#   - a target that is not an object (t.get raises AttributeError: no alert)

def assigned_apps(event):
    apps = set()
    for target in event.get("target", []):
        if target.get("type") == "AppInstance":
            apps.add(target.get("displayName"))
    return apps


def rule(event):
    if event.get("eventType") != "application.user_membership.add":
        return False
    apps = assigned_apps(event)
    return "AWS Console" in apps or "Payroll" in apps
