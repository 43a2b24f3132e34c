# Panther rule Sample.Standard.BreakGlassAccountSignIn (rules/standard/standard_break_glass_sign_in.yml + rules/standard/standard_break_glass_sign_in.py)
# Sample: Break-Glass Account Signed In
# One of the emergency (break-glass) accounts signed in successfully to Okta or to Microsoft Entra ID. These accounts exist for outages of the normal sign-in path and should stay unused.
# fidelity: approximate
# target-first-log-type: cwl: only the first log type (Okta.SystemLog) is queried; Azure.Audit left out
# target-regex-end-anchor: cwl: the end anchor $ of a regex also matches before a final line break in some regex engines (the Logs Insights flavour is not documented); the match may be wider on values ending in a line break
fields @timestamp, actor.alternateId, client.ipAddress, client.userAgent.rawUserAgent
| filter actor.alternateId =~ /(?i)^(?:breakglass-01@example\.com|breakglass-02@example\.com)$/
| filter eventType = "user.session.start"
| filter outcome.result = "SUCCESS"
| sort @timestamp desc
| limit 10000
