# Sample rule: a change made from the console must touch IAM to matter; any other change must come
# from the AWS CLI; and neither counts from the 10.x office network.
# Constructs exercised:
#   - a choice on one substring test (`if "x" in agent: <A> elif "y" not in agent: return False`):
#     YARA-L writes `(L and A) or (not L and B)` as `(not L or A) and (L or B)`, where L's regex joins
#     B's on the same field, so L is written once (`re.regex(f, `console\.amazonaws\.com|aws-cli`)`)
#   - a truthiness guard before a test of a repeated UDM field (sourceIPAddress is principal.ip in
#     YARA-L): `ip and ip.startswith("10.")` negated, where the empty field matches no `^10\.`, so the
#     guard goes (YARA-L applies the events section to each element of a repeated field)


def rule(event):
    agent = event.get("userAgent", "")
    if "console.amazonaws.com" in agent:
        if event.get("eventSource") != "iam.amazonaws.com":
            return False
    elif "aws-cli" not in agent:
        return False
    ip = event.get("sourceIPAddress")
    if ip and ip.startswith("10."):
        return False
    return True
