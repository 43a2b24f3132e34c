# Sample rule: a Real Time Response session was opened on a host (Crowdstrike.EventStreams).
# Constructs exercised:
#   - YARA-L over the CS_STREAM default parser: the stream record's metadata.eventType is
#     metadata.product_event_type ("directly mapped" by the parser)
#   - deep_get equality on the record's envelope; the event's own fields only in the title


def rule(event):
    return event.deep_get("metadata", "eventType") == "RemoteResponseSessionStartEvent"


def title(event):
    return (
        f"Real Time Response session opened on "
        f"[{event.deep_get('event', 'HostnameField', default='<UNKNOWN_HOST>')}] by "
        f"[{event.deep_get('event', 'UserName', default='<UNKNOWN_USER>')}]"
    )
