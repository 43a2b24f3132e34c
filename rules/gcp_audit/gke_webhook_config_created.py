# Sample rule: an admission webhook configuration was created through the GKE API server.
# Constructs exercised:
#   - a value chosen by the length of a split, as data models pick a namespaced or a cluster-scoped
#     resource (`parts[4]` when there are five pieces or more, else `parts[2]`): the lift guards each
#     piece by its length test (IndexError) and writes the choice as an if/else on `len(parts) >= 5`
#   - the choice tested negatively (`not in` -> return False): the lift writes that if/else as two
#     clauses, `(len < 5 or parts[4] in ...) and (len >= 5 or ...)`, the rewritten rule (operands reversed)
#     as it reads; both print as one if/else. The length tests and the IndexError guards share one atom per bound
WEBHOOKS = {"mutatingwebhookconfigurations", "validatingwebhookconfigurations"}


def resource(event):
    parts = str(event.deep_get("protoPayload", "resourceName", default="")).split("/")
    if len(parts) >= 5:
        return parts[4]
    if len(parts) >= 3:
        return parts[2]
    return ""


def rule(event):
    if event.deep_get("protoPayload", "serviceName", default="") != "k8s.io":
        return False
    if resource(event) not in WEBHOOKS or not event.deep_get("protoPayload", "methodName", default="").endswith(".create"):
        return False
    return True


def title(event):
    return f"Admission webhook created by {event.deep_get('protoPayload', 'authenticationInfo', 'principalEmail', default='<unknown>')}"
