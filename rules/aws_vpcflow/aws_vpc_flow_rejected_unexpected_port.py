# Sample rule: a rejected flow that carried packets to a destination port outside the expected ones.
# Constructs exercised:
#   - the truthiness of fields holding ints (the tests hold packets and dstPort only as integral
#     numbers): missing, null and 0 are falsy. Sigma writes `not (x: null or x: 0)`, Logs Insights
#     `ispresent(x)` and `x != 0`
EXPECTED_PORTS = {80, 443}


def rule(event):
    if not event.get("packets") or not event.get("dstPort"):
        return False
    return event.get("action") == "REJECT" and event.get("dstPort") not in EXPECTED_PORTS
