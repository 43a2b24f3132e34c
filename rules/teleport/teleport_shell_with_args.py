# Sample rule: a shell started with arguments (a one-off command, `bash -c ...`) in a Teleport SSH session.
# Constructs exercised:
#   - truthiness of a list of strings (`argv`, empty for a bare shell): Logs Insights `ispresent(argv.0)`,
#     the flattened field of the list's first element
def rule(event):
    return (
        event.get("event") == "session.command"
        and event.get("program") in ("bash", "sh", "zsh")
        and bool(event.get("argv"))
    )
