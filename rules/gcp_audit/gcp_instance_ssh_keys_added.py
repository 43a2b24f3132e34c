# Sample rule: SSH keys added to or changed in a Compute Engine instance's metadata, unless the same
# change turns OS Login on (which makes instance-level keys ineffective).
# Constructs exercised:
#   - membership in lists of strings inside an `or` (`"ssh-keys" in added or "ssh-keys" in modified`),
#     one read through `x or []` (its truthiness implied by the membership)
#   - a negated membership in a list read with the default []


def rule(event):
    if event.deep_get("protoPayload", "methodName") != "v1.compute.instances.setMetadata":
        return False
    delta = event.deep_get("protoPayload", "metadata", "instanceMetadataDelta", default={})
    if "enable-oslogin" in delta.get("addedMetadataKeys", []):
        return False
    added = delta.get("addedMetadataKeys") or []
    modified = delta.get("modifiedMetadataKeys", [])
    return "ssh-keys" in added or "ssh-keys" in modified


def title(event):
    return f"SSH keys changed on [{event.deep_get('protoPayload', 'resourceName', default='<UNKNOWN>')}]"
