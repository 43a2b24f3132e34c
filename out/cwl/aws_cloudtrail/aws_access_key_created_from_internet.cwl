# Panther rule Sample.AWS.CloudTrail.CredentialsCreatedFromInternet (rules/aws_cloudtrail/aws_access_key_created_from_internet.yml + rules/aws_cloudtrail/aws_access_key_created_from_internet.py)
# Sample: IAM Credentials Created From a Public IP Address
# An access key or console password was created or changed by a caller on the public internet. Administrators normally manage credentials from the corporate network or through automation inside AWS.
# fidelity: approximate
# opaque-ip-int: whether ip_address() raises where the value is an int or bool (Python reads an int 0 <= n < 2**128 as an address; not modelled)
# opaque-ip-range: whether this address is private depends on the Python version Panther runs (CPython changed ipaddress' private ranges in 3.11.10/3.12.4/3.13)
# opaque-ip-int: ip_address().is_global where the value is an int or bool (Python reads an int 0 <= n < 2**128 as an address; not modelled)
# target-unsupported-construct: cwl: an isinstance() test cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, sourceIPAddress, userAgent, userIdentity.arn, requestParameters.userName
| filter eventName in ["CreateAccessKey", "CreateLoginProfile", "UpdateLoginProfile"]
| filter isempty(errorCode)
| filter isempty(errorMessage)
| sort @timestamp desc
| limit 10000
