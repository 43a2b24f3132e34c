# Sample rule: a client asked the VPC resolver for a zone transfer (AWS.VPCDns).
# Constructs exercised:
#   - YARA-L over the Route 53 default parser: query_type is metadata.product_event_type and rcode
#     metadata.description, both mapped unchanged; the base filter is the vendor and product the parser
#     hardcodes
#   - `in` a tuple of strings, `!=` a string (a missing rcode is not NOERROR)

ZONE_TRANSFER_TYPES = ("AXFR", "IXFR")


def rule(event):
    return event.get("query_type") in ZONE_TRANSFER_TYPES and event.get("rcode") != "REFUSED"


def title(event):
    return f"Zone transfer of [{event.get('query_name')}] asked by [{event.get('srcaddr')}]"
