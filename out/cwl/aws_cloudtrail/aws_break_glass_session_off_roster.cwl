# Panther rule Sample.AWS.CloudTrail.BreakGlassSessionOffRoster (rules/aws_cloudtrail/aws_break_glass_session_off_roster.yml + rules/aws_cloudtrail/aws_break_glass_session_off_roster.py)
# Sample: AWS Break-Glass Session Opened By An Operator Off The Roster
# A break-glass role session (named "bg-<operator>") was opened by an operator who is not on the break-glass roster.
# fidelity: exact
fields @timestamp
| filter userIdentity.type = "AssumedRole"
| filter userIdentity.principalId =~ /^[^:]*:/
| filter userIdentity.principalId =~ /^(?:[^:]*:)bg-/
| filter not (userIdentity.principalId =~ /(?i)^(?:[^:]*:)[^:]{3}(?:al(?-i:[Ii])ce|bob):/)
| filter not (userIdentity.principalId =~ /(?i)^(?:[^:]*:)[^:]{3}(?:al(?-i:[Ii])ce|bob)$/) or userIdentity.principalId =~ /[\x0a-\x0d\x85‧-‰]$/
| sort @timestamp desc
| limit 10000
