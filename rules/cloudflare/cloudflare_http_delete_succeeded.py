# Sample rule: a DELETE request answered 200 or 204 (Cloudflare.HttpRequest).
# Constructs exercised:
#   - YARA-L over the CLOUDFLARE default parser, whose label also carries other Logpush datasets:
#     the base filter adds metadata.product_name "Web Application Firewall" and the rule declares the
#     shared label (target-shared-base-filter); ClientRequestMethod is network.http.method,
#     EdgeResponseStatus network.http.response_code (an integer field)
#   - `in` a tuple of integers


def rule(event):
    return event.get("ClientRequestMethod") == "DELETE" and event.get("EdgeResponseStatus") in (200, 204)


def title(event):
    return f"DELETE on [{event.get('ClientRequestHost')}] from [{event.get('ClientIP')}]"
