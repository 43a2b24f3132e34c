# Sample rule: a successful read of secret material (secrets, parameters, key decryption) by a person
# or a workload, not by an AWS service on its behalf.
# Constructs exercised:
#   - a loop over a module-level dict of {service: [API name prefixes]} with any() inside: one prefix
#     test is read under several services, so the condition is not read-once (the KQL query names each
#     such test once, in an extend, and its condition reads the name)
#   - a falsy errorCode (missing or empty) as "the call succeeded"
SECRET_READS = {
    "secretsmanager.amazonaws.com": ["Get", "BatchGet"],
    "ssm.amazonaws.com": ["Get", "Describe"],
    "kms.amazonaws.com": ["Decrypt", "Describe"],
}


def rule(event):
    if event.get("errorCode"):
        return False
    if event.deep_get("userIdentity", "type") == "AWSService":
        return False
    source = event.get("eventSource", "")
    name = event.get("eventName", "")
    for service, prefixes in SECRET_READS.items():
        if source == service and any(name.startswith(prefix) for prefix in prefixes):
            return True
    return False


def title(event):
    return (
        f"[{event.deep_get('userIdentity', 'arn', default='<UNKNOWN_PRINCIPAL>')}] "
        f"read secret material with {event.get('eventName')}"
    )
