# Panther rule Sample.GCP.VPC.FlowLogsDisabled (rules/gcp_audit/gcp_subnet_flow_logs_disabled.yml + rules/gcp_audit/gcp_subnet_flow_logs_disabled.py)
# Sample: GCP VPC Flow Logs Disabled on a Subnetwork
# A subnetwork was patched with flow logging turned off, which stops the network telemetry the detections on VPC flow logs read.
# fidelity: exact
fields @timestamp, protoPayload.authenticationInfo.principalEmail, protoPayload.resourceName
| filter protoPayload.methodName = "v1.compute.subnetworks.patch"
| filter protoPayload.request.enableFlowLogs = 0
| sort @timestamp desc
| limit 10000
