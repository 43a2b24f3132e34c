# Panther rule Sample.AWS.TerraformSecurityGroupBurst (rules/aws_cloudtrail/aws_terraform_security_group_burst.yml + rules/aws_cloudtrail/aws_terraform_security_group_burst.py)
# Burst of Security Group Authorisations by Terraform
# Five or more security group ingress or egress authorisations made by Terraform within an hour.
# fidelity: approximate
# target-threshold-window: cwl: threshold counted in fixed 60m bins, not Panther's dedup window that opens at the first event
fields @timestamp, eventName, userAgent
| filter eventName in ["AuthorizeSecurityGroupEgress", "AuthorizeSecurityGroupIngress"]
| filter eventSource = "ec2.amazonaws.com"
| filter userAgent =~ /^(?:[\s\S]*HashiCorp\x2f[\s\S]\.0 Terraform\x2f)/
| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, latest(eventName) as eventName, latest(userAgent) as userAgent by eventSource, bin(60m) as timeWindow
| filter eventCount >= 5
| sort eventCount desc
| limit 10000
