# Metadata keys whose value Compute Engine runs as root (Linux) or SYSTEM (Windows) at boot
STARTUP_KEYS = {
    "startup-script",
    "startup-script-url",
    "windows-startup-script-ps1",
    "windows-startup-script-cmd",
}
METADATA_METHODS = (".setMetadata", ".setCommonInstanceMetadata")


def changed_keys(event):
    keys = set()
    for scope in ["instanceMetadataDelta", "projectMetadataDelta"]:
        for change in ["addedMetadataKeys", "modifiedMetadataKeys"]:
            keys.update(set(event.deep_get("protoPayload", "metadata", scope, change, default=[])))
    return keys


def rule(event):
    if event.deep_get("protoPayload", "serviceName") != "compute.googleapis.com":
        return False
    if not event.deep_get("protoPayload", "methodName", default="").endswith(METADATA_METHODS):
        return False
    return bool(changed_keys(event) & STARTUP_KEYS)


def title(event):
    return (
        f"Startup script metadata changed on "
        f"[{event.deep_get('protoPayload', 'resourceName', default='<UNKNOWN_RESOURCE>')}]"
    )
