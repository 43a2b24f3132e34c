# Panther rule Sample.AWS.VPCFlow.RemoteDesktopAccepted (rules/aws_vpcflow/aws_vpc_flow_remote_desktop_accepted.yml + rules/aws_vpcflow/aws_vpc_flow_remote_desktop_accepted.py)
# Sample: Remote Desktop Port Accepted
# A VPC flow log shows a flow to a remote desktop port (RDP 3389 or VNC 5900) that the security groups and network ACLs accepted.
# fidelity: exact
fields @timestamp, srcAddr, dstAddr
| filter action = "ACCEPT"
| filter not (isempty(dstAddr))
| filter dstPort in [3389, 5900]
| sort @timestamp desc
| limit 10000
