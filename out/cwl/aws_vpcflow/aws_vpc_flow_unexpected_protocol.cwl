# Panther rule Sample.AWS.VPCFlow.UnexpectedInboundProtocol (rules/aws_vpcflow/aws_vpc_flow_unexpected_protocol.yml + rules/aws_vpcflow/aws_vpc_flow_unexpected_protocol.py)
# Sample: Inbound Flow Over An Unexpected IP Protocol
# A VPC flow log shows an accepted inbound flow over an IP protocol other than TCP and UDP (ICMP only from inside the VPC), such as GRE or ESP tunnels.
# fidelity: approximate
# target-unsupported-construct: cwl: membership in a list holding booleans, nulls, lists or mappings cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, srcAddr, dstAddr, protocol, interfaceId
| filter action = "ACCEPT"
| filter flowDirection = "ingress"
| filter not (ispresent(protocol)) or not (protocol = 1) or not (ispresent(srcAddr)) or not (srcAddr =~ /^10\./)
| sort @timestamp desc
| limit 10000
