# Sample rule: a user was made administrator (Zendesk.Audit).
# Constructs exercised:
#   - YARA-L over the ZENDESK_CRM default parser: no documented UDM field for the audit log keys, so
#     every field keeps the declared fallback additional.fields[...], and the label also carries tickets
#     (target-shared-base-filter): approximate
#   - substring test on a field with a default


def rule(event):
    return (
        event.get("source_type") == "user"
        and event.get("action") == "update"
        and "to admin" in event.get("change_description", "").lower()
    )


def title(event):
    return f"[{event.get('actor_name')}] made [{event.get('source_label')}] an administrator"
