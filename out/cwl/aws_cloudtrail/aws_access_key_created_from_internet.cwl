# Panther rule Sample.AWS.CloudTrail.CredentialsCreatedFromInternet (rules/aws_cloudtrail/aws_access_key_created_from_internet.yml + rules/aws_cloudtrail/aws_access_key_created_from_internet.py)
# Sample: IAM Credentials Created From a Public IP Address
# An access key or console password was created or changed by a caller on the public internet. Administrators normally manage credentials from the corporate network or through automation inside AWS.
# fidelity: approximate
# opaque-ip-int: whether ip_address() raises where the value is an int or bool (Python reads an int 0 <= n < 2**128 as an address; not modelled)
# opaque-ip-range: whether this address is private depends on the Python version Panther runs (CPython changed ipaddress' private ranges in 3.11.10/3.12.4/3.13)
# opaque-ip-int: ip_address().is_global where the value is an int or bool (Python reads an int 0 <= n < 2**128 as an address; not modelled)
fields @timestamp, sourceIPAddress, userAgent, userIdentity.arn, requestParameters.userName
| filter eventName in ["CreateAccessKey", "CreateLoginProfile", "UpdateLoginProfile"]
| filter sourceIPAddress =~ /^(?:(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}|(?:(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|(?:[0-9a-fA-F]{1,4}:){1,7}:|(?:[0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|(?:[0-9a-fA-F]{1,4}:){1,5}(?::[0-9a-fA-F]{1,4}){1,2}|(?:[0-9a-fA-F]{1,4}:){1,4}(?::[0-9a-fA-F]{1,4}){1,3}|(?:[0-9a-fA-F]{1,4}:){1,3}(?::[0-9a-fA-F]{1,4}){1,4}|(?:[0-9a-fA-F]{1,4}:){1,2}(?::[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:(?::[0-9a-fA-F]{1,4}){1,6}|:(?:(?::[0-9a-fA-F]{1,4}){1,7}|:)|(?:[0-9a-fA-F]{1,4}:){6}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}|::(?:[0-9a-fA-F]{1,4}:){0,5}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}|(?:[0-9a-fA-F]{1,4}:){1}:(?:[0-9a-fA-F]{1,4}:){0,4}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}|(?:[0-9a-fA-F]{1,4}:){2}:(?:[0-9a-fA-F]{1,4}:){0,3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}|(?:[0-9a-fA-F]{1,4}:){3}:(?:[0-9a-fA-F]{1,4}:){0,2}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}|(?:[0-9a-fA-F]{1,4}:){4}:(?:[0-9a-fA-F]{1,4}:)?(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}|(?:[0-9a-fA-F]{1,4}:){5}:(?:[0-9a-fA-F]{1,4}:){0}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3})))$/
| filter not (sourceIPAddress =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter not (isIpInSubnet(sourceIPAddress, "100.64.0.0/10"))
| filter not (isIpInSubnet(sourceIPAddress, "0.0.0.0/8"))
| filter not (isIpInSubnet(sourceIPAddress, "10.0.0.0/8"))
| filter not (isIpInSubnet(sourceIPAddress, "127.0.0.0/8"))
| filter not (isIpInSubnet(sourceIPAddress, "169.254.0.0/16"))
| filter not (isIpInSubnet(sourceIPAddress, "172.16.0.0/12"))
| filter not (isIpInSubnet(sourceIPAddress, "192.0.0.0/29"))
| filter not (isIpInSubnet(sourceIPAddress, "192.0.0.170/31"))
| filter not (isIpInSubnet(sourceIPAddress, "192.0.2.0/24"))
| filter not (isIpInSubnet(sourceIPAddress, "192.168.0.0/16"))
| filter not (isIpInSubnet(sourceIPAddress, "198.18.0.0/15"))
| filter not (isIpInSubnet(sourceIPAddress, "198.51.100.0/24"))
| filter not (isIpInSubnet(sourceIPAddress, "203.0.113.0/24"))
| filter not (isIpInSubnet(sourceIPAddress, "240.0.0.0/4"))
| filter not (isIpInSubnet(sourceIPAddress, "255.255.255.255/32"))
| filter not (isIpInSubnet(sourceIPAddress, "::1/128"))
| filter not (isIpInSubnet(sourceIPAddress, "::/128"))
| filter not (isIpInSubnet(sourceIPAddress, "100::/64"))
| filter not (isIpInSubnet(sourceIPAddress, "2001:db8::/32"))
| filter not (isIpInSubnet(sourceIPAddress, "fc00::/7"))
| filter not (isIpInSubnet(sourceIPAddress, "fe80::/10"))
| filter isempty(errorCode)
| filter isempty(errorMessage)
| sort @timestamp desc
| limit 10000
