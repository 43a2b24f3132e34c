# Panther rule Sample.Okta.SessionFromScriptedClient (rules/okta/okta_session_from_scripted_client.yml + rules/okta/okta_session_from_scripted_client.py)
# Sample: Okta Session Started by a Scripted HTTP Client
# A user's Okta session was started successfully by curl, python-requests, wget or a similar command-line client. People sign in with browsers; scripted sign-ins are typical of credential stuffing tools and of session-token theft replayed from a script.
# fidelity: approximate
# target-regex-end-anchor: cwl: the end anchor $ of a regex also matches before a final line break in some regex engines (the Logs Insights flavour is not documented); the match may be wider on values ending in a line break
fields @timestamp, actor.alternateId, client.userAgent.rawUserAgent, client.ipAddress, eventType
| filter eventType =~ /(?i)^(?:user\.authentication\.sso|user\.session\.start)$/
| filter outcome.result =~ /(?i)^success$/
| filter client.userAgent.rawUserAgent =~ /(?i)^curl\x2f/ or client.userAgent.rawUserAgent =~ /(?i)^go-http-client\x2f/ or client.userAgent.rawUserAgent =~ /(?i)^okhttp\x2f/ or client.userAgent.rawUserAgent =~ /(?i)^python-requests\x2f/ or client.userAgent.rawUserAgent =~ /(?i)^wget\x2f/
| sort @timestamp desc
| limit 10000
