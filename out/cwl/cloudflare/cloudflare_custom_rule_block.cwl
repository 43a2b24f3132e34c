# Panther rule Sample.Cloudflare.Firewall.CustomRuleBlock (rules/cloudflare/cloudflare_custom_rule_block.yml + rules/cloudflare/cloudflare_custom_rule_block.py)
# Sample: Cloudflare Custom Firewall Rule Blocked a Request
# A request was blocked by one of the zone's own firewall rules (not a managed ruleset).
# fidelity: exact
fields @timestamp
| filter Action = "block"
| filter not (isempty(RuleID))
| filter Source in ["firewallcustom", "firewallrules"]
| sort @timestamp desc
| limit 10000
