def rule(event):
    return event.get("type") == "api_permission_denied"


def dedup(event):
    # one alert per caller: the API key when there is one, else the member's email, else the address
    return (
        event.deep_get("actor", "api_key_id")
        or event.deep_get("actor", "email_address")
        or event.deep_get("actor", "ip_address", default="<unattributed>")
    )


def title(event):
    return f"Repeated permission denials for [{dedup(event)}]"
