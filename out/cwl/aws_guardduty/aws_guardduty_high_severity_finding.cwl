# Panther rule Sample.AWS.GuardDuty.HighSeverityFinding (rules/aws_guardduty/aws_guardduty_high_severity_finding.yml + rules/aws_guardduty/aws_guardduty_high_severity_finding.py)
# Sample: AWS GuardDuty High Severity Finding
# GuardDuty reported a finding of severity 7.0 or more, or of the per-type minimum for finding types that are noisy at their default severity. Port-probe reconnaissance findings need at least ten occurrences.
# fidelity: unsupported
# not rendered:
#   cwl: log type AWS.GuardDuty does not reach CloudWatch Logs (no mapping)
