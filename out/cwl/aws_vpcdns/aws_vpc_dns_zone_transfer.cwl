# Panther rule Sample.AWS.VPCDns.ZoneTransferRequested (rules/aws_vpcdns/aws_vpc_dns_zone_transfer.yml + rules/aws_vpcdns/aws_vpc_dns_zone_transfer.py)
# Sample: DNS Zone Transfer Requested
# A Route 53 Resolver query log shows a zone transfer query (AXFR or IXFR) that the resolver did not refuse.
# fidelity: exact
fields @timestamp
| filter `query_type` in ["AXFR", "IXFR"]
| filter not (ispresent(rcode)) or rcode != "REFUSED"
| sort @timestamp desc
| limit 10000
