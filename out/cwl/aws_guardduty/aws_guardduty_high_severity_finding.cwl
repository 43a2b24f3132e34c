# Panther rule Sample.AWS.GuardDuty.HighSeverityFinding (rules/aws_guardduty/aws_guardduty_high_severity_finding.yml + rules/aws_guardduty/aws_guardduty_high_severity_finding.py)
# Sample: AWS GuardDuty High Severity Finding
# GuardDuty reported a finding of severity 7.0 or more, or of the per-type minimum for finding types that are noisy at their default severity. Port-probe reconnaissance findings need at least ten occurrences.
# fidelity: approximate
# target-computed-value: cwl: a computed value (float(event.get("severity"))) cannot be addressed as a field; replaced by its superset
# target-computed-value: cwl: a computed value (int(event.get("service").get("count"))) cannot be addressed as a field; replaced by its superset
fields @timestamp, type, severity, accountId, region, resource.resourceType, service.count
| sort @timestamp desc
| limit 10000
