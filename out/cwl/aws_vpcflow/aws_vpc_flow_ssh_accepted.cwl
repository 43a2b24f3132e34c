# Panther rule Sample.AWS.VPCFlow.SSHAcceptedFromOutside (rules/aws_vpcflow/aws_vpc_flow_ssh_accepted.yml + rules/aws_vpcflow/aws_vpc_flow_ssh_accepted.py)
# Sample: SSH Accepted From Outside The VPC
# A VPC flow log shows inbound SSH (port 22) accepted from an address outside the private ranges.
# fidelity: exact
fields @timestamp, srcAddr, dstAddr, vpcId, interfaceId
| filter action = "ACCEPT"
| filter dstPort = 22
| filter flowDirection = "ingress"
| filter not (ispresent(srcAddr)) or not (srcAddr =~ /^(?:10\.|192\.168\.)/)
| sort @timestamp desc
| limit 10000
