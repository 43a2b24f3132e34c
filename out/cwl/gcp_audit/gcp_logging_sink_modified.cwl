# Panther rule Sample.GCP.Logging.SinkModified (rules/gcp_audit/gcp_logging_sink_modified.yml + rules/gcp_audit/gcp_logging_sink_modified.py)
# Sample: GCP Logging Sink Deleted or Modified
# A Cloud Logging sink was deleted or updated. Sinks export audit logs to the SIEM; changing one can silently stop or redirect that export.
# fidelity: exact
fields @timestamp, `resource.labels.project_id`, protoPayload.authenticationInfo.principalEmail, protoPayload.requestMetadata.callerIp, protoPayload.methodName, protoPayload.resourceName, protoPayload.serviceName
| filter protoPayload.serviceName = "logging.googleapis.com"
| filter not (protoPayload.methodName =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter protoPayload.methodName =~ /ConfigServiceV2\.DeleteSink$|ConfigServiceV2\.UpdateSink$/
| filter not (ispresent(protoPayload.status.code))
| sort @timestamp desc
| limit 10000
