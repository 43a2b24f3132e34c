# Sample rule: an Asana workspace IP allowlist now starts with the open range 0.0.0.0 (the whole
# Internet may sign in). Asana.Audit's details.new_value holds one range as a string and several as a
# list; a list is reviewed elsewhere, so only a string value is tested here.
# Constructs exercised:
#   - `isinstance(v, str)` beside a string test where a test holds v as a list: the guard stays (Sigma,
#     YARA-L and Logs Insights read a list element-wise or not at all, and declare the superset; KQL
#     writes gettype() on the dynamic member)


def rule(event):
    if event.get("event_type") != "workspace_ip_allowlist_changed":
        return False
    new_value = event.deep_get("details", "new_value")
    return isinstance(new_value, str) and new_value.startswith("0.0.0.0")


def title(event):
    return f"Asana IP allowlist opened to [{event.deep_get('details', 'new_value')}]"
