# Sample rule: a request matched a rule in COUNT mode, and none of the rules it matched is an allow-list
# rule (AWS.WAFWebACL).
# Constructs exercised:
#   - two any() over the same list: KQL counts both in one mv-apply (one summarize, two counts)
#   - the truthiness of the list before its any(): a count above 0 already says the list is not empty,
#     so the KQL query leaves the truthiness test out (and the `truthy` declaration with it)


def rule(event):
    matched = event.get("nonTerminatingMatchingRules")
    if not matched:
        return False
    counted = any(m.get("action") == "COUNT" for m in matched)
    allowlisted = any(m.get("ruleId") in ("AllowPartners", "AllowMonitoring") for m in matched)
    return counted and not allowlisted


def title(event):
    return f"WAF rule in COUNT mode matched a request from [{event.deep_get('httpRequest', 'clientIp')}]"
