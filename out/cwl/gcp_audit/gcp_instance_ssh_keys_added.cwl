# Panther rule Sample.GCP.Compute.InstanceSSHKeysAdded (rules/gcp_audit/gcp_instance_ssh_keys_added.yml + rules/gcp_audit/gcp_instance_ssh_keys_added.py)
# Sample: SSH Keys Added to a Compute Instance
# SSH keys were added to or changed in a Compute Engine instance's metadata, and the same change did not turn OS Login on. Instance-level keys let their holders in without the project's IAM.
# fidelity: exact
fields @timestamp, jsonParse(@message) as jsonMessage
| filter protoPayload.methodName = "v1.compute.instances.setMetadata"
| filter jsonArrayContains(jsonStringify(jsonMessage.protoPayload.metadata.instanceMetadataDelta.modifiedMetadataKeys), "ssh-keys") or jsonArrayContains(jsonStringify(jsonMessage.protoPayload.metadata.instanceMetadataDelta.addedMetadataKeys), "ssh-keys")
| filter not (jsonArrayContains(jsonStringify(jsonMessage.protoPayload.metadata.instanceMetadataDelta.addedMetadataKeys), "enable-oslogin"))
| sort @timestamp desc
| limit 10000
