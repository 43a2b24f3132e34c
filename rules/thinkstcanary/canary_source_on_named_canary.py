# Sample rule: an alert of the Canary posing as the finance file server (ThinkstCanary.Alert).
# Constructs exercised:
#   - YARA-L over the THINKST_CANARY default parser, whose label also carries the console's other
#     records (declared: target-shared-base-filter); CanaryName is target.hostname and SourceIP
#     principal.ip (a repeated field) as the parser's table maps them
#   - `==` against a constant and the truthiness of a string field


def rule(event):
    return event.get("CanaryName") == "fin-fs01" and bool(event.get("SourceIP"))


def title(event):
    return f"Canary [{event.get('CanaryName')}] touched from [{event.get('SourceIP')}]"
