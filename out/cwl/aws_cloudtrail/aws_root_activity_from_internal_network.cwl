# Panther rule Sample.AWS.CloudTrail.RootActivityFromInternalNetwork (rules/aws_cloudtrail/aws_root_activity_from_internal_network.yml + rules/aws_cloudtrail/aws_root_activity_from_internal_network.py)
# Sample: Root User Activity From the Internal Network
# The root user made an API call from an address of the internal network (10.0.0.0/8) or from a loopback address. Root credentials should not be used from workloads inside the network.
# fidelity: approximate
# opaque-ip-int: whether ip_address() raises where the value is an int or bool (Python reads an int 0 <= n < 2**128 as an address; not modelled)
# opaque-ip-int: ip_address() in ip_network("10.0.0.0/8") where the value is an int or bool (Python reads an int 0 <= n < 2**128 as an address; not modelled)
# opaque-ip-int: ip_address().is_loopback where the value is an int or bool (Python reads an int 0 <= n < 2**128 as an address; not modelled)
# target-unsupported-construct: cwl: an isinstance() test cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp
| filter userIdentity.type = "Root"
| sort @timestamp desc
| limit 10000
