# Panther rule Sample.AWS.AssumedRoleSessionAdmin (rules/target_proof/aws_assumed_role_session_admin.yml + rules/target_proof/aws_assumed_role_session_admin.py)
# Sample: IAM or STS Call from an Assumed-Role Session Named admin
# An IAM or STS API call made through an assumed role whose session name is "admin" (other than GetCallerIdentity).
# fidelity: exact
fields @timestamp
| filter userIdentity.arn =~ /^[^\x2f]*\x2f[^\x2f]*\x2f/
| filter not (userIdentity.arn =~ /^[^\x2f]*\x2f[^\x2f]*\x2f[^\x2f]*\x2f|[\x0a-\x0d\x85‧-‰]$/)
| filter eventSource =~ /^(?:iam|sts)\./ or (eventSource =~ /^(?:iam|sts)$/ and not (eventSource =~ /[\x0a-\x0d\x85‧-‰]$/))
| filter userIdentity.arn =~ /^admin$|\x2fadmin$/
| filter not (eventName =~ /^GetCallerIdentity(?:_)*$/) or eventName =~ /[\x0a-\x0d\x85‧-‰]$/
| sort @timestamp desc
| limit 10000
