# Panther rule Sample.AWS.GuardDuty.HighSeverityFinding (rules/aws_guardduty/aws_guardduty_high_severity_finding.yml + rules/aws_guardduty/aws_guardduty_high_severity_finding.py)
# Sample: AWS GuardDuty High Severity Finding
# GuardDuty reported a finding of severity 7.0 or more, or of the per-type minimum for finding types that are noisy at their default severity. Port-probe reconnaissance findings need at least ten occurrences.
# fidelity: approximate
# target-computed-value: cwl: a computed value (int(event.get("service").get("count"))) cannot be addressed as a field; replaced by its superset
fields @timestamp, type, severity, accountId, region, resource.resourceType, service.count
| fields if(type in ["Recon:EC2/PortProbeUnprotectedPort", "UnauthorizedAccess:EC2/SSHBruteForce"], 1, 0) as TypeInReconEC2PortProbeUnprotectedPort
| filter (severity >= 7 and TypeInReconEC2PortProbeUnprotectedPort = 0) or (severity >= 8 and (TypeInReconEC2PortProbeUnprotectedPort = 1 or type =~ /^Recon:/))
| sort @timestamp desc
| limit 10000
