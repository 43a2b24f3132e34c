# Panther rule Sample.Simple.AWS.ConsoleLoginOutsideCorporateNetwork (rules/simple/aws_console_login_outside_corporate_network.yml + rules/simple/aws_console_login_outside_corporate_network.py)
# Sample (inline filters): AWS Console Sign-In From Outside the Corporate Network
# An IAM user or the root user signed in to the AWS console from an address outside the corporate networks. The network and identity checks are InlineFilters, applied before rule() runs.
# fidelity: exact
fields @timestamp, sourceIPAddress, userIdentity.type, additionalEventData.MFAUsed
| filter eventName = "ConsoleLogin"
| filter eventSource = "signin.amazonaws.com"
| filter responseElements.ConsoleLogin = "Success"
| filter userIdentity.type in ["IAMUser", "Root"]
| filter not (ispresent(sourceIPAddress)) or not (sourceIPAddress =~ /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3})$/) or sourceIPAddress =~ /[\x0a-\x0d\x85‧-‰]$/ or (not (isIpInSubnet(sourceIPAddress, "10.0.0.0/8")) and not (isIpInSubnet(sourceIPAddress, "192.168.0.0/16")) and not (isIpInSubnet(sourceIPAddress, "198.51.100.0/24")))
| sort @timestamp desc
| limit 10000
