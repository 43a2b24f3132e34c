# Sample rule: a Teleport role was deleted in a session logged in as root (Gravitational.TeleportAudit).
# Constructs exercised:
#   - YARA-L over the TELEPORT_ACCESS_PLANE default parser: `event` is metadata.product_event_type and
#     `login` principal.user.user_display_name (both copied as they are); `user` keeps the declared
#     fallback, read only by the title


def rule(event):
    return event.get("event") == "role.deleted" and event.get("login") == "root"


def title(event):
    return f"Teleport role [{event.get('name')}] deleted by [{event.get('user')}] as root"
