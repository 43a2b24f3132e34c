# Sample rule: on the sign-in service, a console login from a browser; on every other service, anything
# but a console login from a browser. A console login without a user agent is never flagged.
# Constructs exercised:
#   - a negated substring test whose field may be absent where it stands (`"Mozilla" not in agent`
#     after `not console or`), while another filter needs the field wherever the test matters
#     (`if console and not agent: return False`): Logs Insights names the test once,
#     `if(userAgent like "Mozilla", 1, 0)`, and reads `= 0` for the negation (what the negated test
#     yields on an absent field, undocumented, decides no event there)


def rule(event):
    agent = event.get("userAgent")
    console = event.get("eventName") == "ConsoleLogin"
    if console and not agent:
        return False
    if event.get("eventSource") == "signin.amazonaws.com":
        return console and "Mozilla" in agent
    return not console or "Mozilla" not in agent
