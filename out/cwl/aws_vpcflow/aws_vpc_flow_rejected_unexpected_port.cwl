# Panther rule Sample.AWS.VPCFlow.RejectedToUnexpectedPort (rules/aws_vpcflow/aws_vpc_flow_rejected_unexpected_port.yml + rules/aws_vpcflow/aws_vpc_flow_rejected_unexpected_port.py)
# Sample: Rejected Flow To An Unexpected Port
# A VPC flow log shows packets to a destination port other than HTTP or HTTPS that the security groups or network ACLs rejected, as a port scan produces.
# fidelity: exact
fields @timestamp, srcAddr, dstAddr
| filter action = "REJECT"
| filter ispresent(dstPort)
| filter dstPort != 0
| filter ispresent(packets)
| filter packets != 0
| filter not (dstPort in [80, 443])
| sort @timestamp desc
| limit 10000
