# Sample rule: a SetIamPolicy call whose policy gives the Owner role to a personal Google account.
# Constructs exercised (Logs Insights writes them with unnest):
#   - a for loop over a list of the event (the policy's bindings) and, inside it, a nested for loop
#     over a list each binding holds (its members), `return True` in the inner loop
#   - a test on the outer element beside the inner loop
PERSONAL_DOMAINS = ("@gmail.com", "@googlemail.com")


def rule(event):
    if event.deep_get("protoPayload", "methodName") != "SetIamPolicy":
        return False
    for binding in event.deep_get("protoPayload", "request", "policy", "bindings", default=[]):
        if binding.get("role") != "roles/owner":
            continue
        for member in binding.get("members", []):
            if member.endswith(PERSONAL_DOMAINS):
                return True
    return False


def title(event):
    return f"Owner granted to a personal account in [{event.deep_get('resource', 'labels', 'project_id', default='<UNKNOWN_PROJECT>')}]"
