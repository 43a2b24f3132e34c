# Sample rule: a message quarantined as phish (Proofpoint.Event).
# Constructs exercised:
#   - YARA-L over the PROOFPOINT_MAIL default parser, whose label also carries click events and key-value
#     mail logs (target-shared-base-filter); quarantineFolder keeps the declared fallback (the parser
#     puts it in security_result.priority or detection_fields by its value): approximate
#   - `==` on a string field, the truthiness of GUID (metadata.product_log_id)


def rule(event):
    return event.get("quarantineFolder") == "Phish" and bool(event.get("GUID"))


def title(event):
    return f"Proofpoint quarantined [{event.get('subject')}] from [{event.get('sender')}]"
