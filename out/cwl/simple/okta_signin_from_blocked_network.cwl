# Panther rule Sample.Simple.Okta.SignInFromBlockedNetwork (rules/simple/okta_signin_from_blocked_network.yml)
# Sample (simple): Okta Sign-In From a Blocked Network by a Script or Unmanaged Device
# A successful Okta sign-in came from a network on the organisation's block list, and either the client is a script (python-requests, curl) or the device is not managed (no device-trust hash). The block list here uses documentation ranges; replace it with your own.
# fidelity: exact
fields @timestamp, actor.alternateId, client.ipAddress, client.userAgent.rawUserAgent
| filter isIpInSubnet(client.ipAddress, "198.51.100.0/24") or isIpInSubnet(client.ipAddress, "203.0.113.128/25") or isIpInSubnet(client.ipAddress, "2001:db8:bad::/48")
| filter eventType in ["user.authentication.auth_via_mfa", "user.authentication.sso", "user.session.start"]
| filter outcome.result = "SUCCESS"
| filter client.userAgent.rawUserAgent =~ /(?i)curl\x2f|python-reque(?-i:[Ss])t(?-i:[Ss])/ or not (ispresent(debugContext.debugData.dtHash))
| sort @timestamp desc
| limit 10000
