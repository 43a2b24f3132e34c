# Panther rule Sample.Cloudflare.HttpRequest.DeleteSucceeded (rules/cloudflare/cloudflare_http_delete_succeeded.yml + rules/cloudflare/cloudflare_http_delete_succeeded.py)
# Sample: Cloudflare HTTP DELETE Succeeded
# A DELETE request through Cloudflare was answered with a success status.
# fidelity: exact
fields @timestamp
| filter ClientRequestMethod = "DELETE"
| filter EdgeResponseStatus in [200, 204]
| sort @timestamp desc
| limit 10000
