# Sample rule: an Okta session started by a command-line HTTP client instead of a browser.
# Constructs exercised (case folding):
#   - .lower() compared with `not in CONST` (set)
#   - .upper() compared with `!=`
#   - .casefold() then str.startswith(<tuple>)
#   - event.get(k, default) / event.deep_get(..., default="") on fields missing from a test log
#   - title() f-string; inline alert_context()

SESSION_EVENTS = {"user.session.start", "user.authentication.sso"}
SCRIPTED_CLIENT_PREFIXES = ("curl/", "python-requests/", "wget/", "go-http-client/", "okhttp/")


def rule(event):
    if event.get("eventType", "").lower() not in SESSION_EVENTS:
        return False
    if event.deep_get("outcome", "result", default="").upper() != "SUCCESS":
        return False
    user_agent = event.deep_get("client", "userAgent", "rawUserAgent", default="").casefold()
    return user_agent.startswith(SCRIPTED_CLIENT_PREFIXES)


def title(event):
    return (
        f"Okta session for [{event.deep_get('actor', 'alternateId', default='<UNKNOWN_USER>')}] "
        f"started by a scripted client [{event.deep_get('client', 'userAgent', 'rawUserAgent')}]"
    )


def alert_context(event):
    return {
        "user": event.deep_get("actor", "alternateId"),
        "user_agent": event.deep_get("client", "userAgent", "rawUserAgent"),
        "client_ip": event.deep_get("client", "ipAddress"),
        "event_type": event.get("eventType"),
    }
