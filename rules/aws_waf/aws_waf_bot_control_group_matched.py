# Sample rule: the Bot Control managed rule group matched a request (AWS.WAFWebACL), either as a counted
# (non-terminating) rule of the web ACL or as a rule group that terminated or counted the request.
# Constructs exercised:
#   - `for ... return True` loops read as any() over lists of objects, one nested in another
#   - the ids below the rule lists are strings by the mapping (mappings/aws_wafwebacl.yaml `type: string`),
#     although the tests show no element of nonTerminatingMatchingRules: KQL tests `s in id` as a substring
#     test (`contains_cs`), not through a type dispatch
#   - every count's test holds only on an element that is not null, so KQL's mv-apply needs no index test

GROUP = "AWSManagedRulesBotControlRuleSet"


def group_matched(group):
    if (group.get("terminatingRule") or {}).get("ruleId"):
        return True
    for match in group.get("nonTerminatingMatchingRules") or []:
        if match.get("ruleId"):
            return True
    return False


def rule(event):
    for match in event.get("nonTerminatingMatchingRules") or []:
        if GROUP in match.get("ruleId", ""):
            return True
    for group in event.get("ruleGroupList") or []:
        if GROUP in group.get("ruleGroupId", "") and group_matched(group):
            return True
    return False


def title(event):
    return f"WAF Bot Control matched a request from [{event.deep_get('httpRequest', 'clientIp')}]"
