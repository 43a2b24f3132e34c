# Sample rule: a zone's own firewall rule blocked a request (Cloudflare.Firewall).
# Constructs exercised:
#   - YARA-L over the CLOUDFLARE_WAF default parser, a label of its own: Source is
#     security_result.rule_name, Action security_result.action_details, RuleID security_result.rule_id,
#     each "directly assigned" by the parser (exact)
#   - `in` a tuple constant; the truthiness of a string field


CUSTOM_SOURCES = ("firewallrules", "firewallcustom")


def rule(event):
    return (
        event.get("Source") in CUSTOM_SOURCES
        and event.get("Action") == "block"
        and bool(event.get("RuleID"))
    )


def title(event):
    return f"Cloudflare rule [{event.get('RuleID')}] blocked [{event.get('ClientIP')}]"
