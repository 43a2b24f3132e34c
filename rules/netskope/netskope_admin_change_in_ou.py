# Sample rule: an audit event in a restricted organization unit (Netskope.Audit).
# Constructs exercised:
#   - YARA-L over the NETSKOPE_ALERT_V2 default parser, whose label also carries alerts and the other
#     event types (declared: target-shared-base-filter); type is metadata.product_event_type and
#     organization_unit principal.administrative_domain, both "directly mapped"
#   - `str.startswith` on a field with a default


def rule(event):
    return event.get("type") == "admin_audit_logs" and event.get("organization_unit", "").startswith("sec/")


def title(event):
    return f"Netskope admin [{event.get('user')}] acted in [{event.get('organization_unit')}]"
