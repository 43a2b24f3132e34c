# Sample rule: a SYN scan (`-sS`) started from a Teleport SSH session on a production host.
# Constructs exercised (Logs Insights renderings):
#   - truthiness of a list of strings (`argv`): `ispresent(argv.0)`
#   - `"-sS" in argv` on a list: list membership, written with `unnest` (one record per element)
#   - `deep_walk()` over a path with no list on it: the field itself (`server_labels.env`)
#   - `x.rstrip(".").endswith(...)`: a regex on x (`\.corp\.example(?:\.)*$`)
#   - truthiness of `x.lower()`: the truthiness of x
def rule(event):
    if event.get("event") != "session.command":
        return False
    if not event.get("program", "").lower():
        return False
    if not event.get("argv"):
        return False
    if event.deep_walk("server_labels", "env") != "prod":
        return False
    if not event.get("server_hostname", "").rstrip(".").endswith(".corp.example"):
        return False
    return "-sS" in event.get("argv", [])
