# Panther rule Sample.GCP.Compute.StartupScriptMetadataChanged (rules/gcp_audit/gce_startup_script_metadata_changed.yml + rules/gcp_audit/gce_startup_script_metadata_changed.py)
# Sample: GCE Startup Script Metadata Changed
# A startup script key was added to or changed in the metadata of a Compute Engine instance or of the whole project. Compute Engine runs the script with full privileges at every boot of the instances it applies to.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on protoPayload.metadata.instanceMetadataDelta.addedMetadataKeys (a list in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
# target-unsupported-construct: cwl: an isinstance() test cannot be expressed in Logs Insights; replaced by its superset
# target-unsupported-construct: cwl: a test on protoPayload.metadata.projectMetadataDelta.modifiedMetadataKeys (a list in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
# target-quantifier: cwl: any()/all() over a list is not expressed in Logs Insights; replaced by its superset
fields @timestamp, protoPayload.authenticationInfo.principalEmail, protoPayload.resourceName
| filter protoPayload.serviceName = "compute.googleapis.com"
| filter not (protoPayload.methodName =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter protoPayload.methodName =~ /\.setCommonInstanceMetadata$|\.setMetadata$/
| sort @timestamp desc
| limit 10000
