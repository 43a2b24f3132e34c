# Panther rule Sample.Standard.BreakGlassAccountSignIn (rules/standard/standard_break_glass_sign_in.yml + rules/standard/standard_break_glass_sign_in.py)
# Sample: Break-Glass Account Signed In
# One of the emergency (break-glass) accounts signed in successfully to Okta or to Microsoft Entra ID. These accounts exist for outages of the normal sign-in path and should stay unused.
# log types: Okta.SystemLog, Azure.Audit (one query each, to run over that log type's log groups: the filters differ)
# fidelity: exact
# query 1 of 2: Okta.SystemLog
fields @timestamp, actor.alternateId, client.ipAddress, client.userAgent.rawUserAgent
| filter actor.alternateId =~ /(?i)^(?:brea(?-i:[KkK])gla(?-i:[Ss])(?-i:[Ss])-01@example\.com|brea(?-i:[KkK])gla(?-i:[Ss])(?-i:[Ss])-02@example\.com)$/
| filter not (actor.alternateId =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter eventType = "user.session.start"
| filter outcome.result = "SUCCESS"
| sort @timestamp desc
| limit 10000
# query 2 of 2: Azure.Audit
fields @timestamp, actor.alternateId, client.ipAddress, client.userAgent.rawUserAgent
| filter category = "SignInLogs"
| filter properties.status.errorCode = 0
| filter properties.userPrincipalName =~ /(?i)^(?:brea(?-i:[KkK])gla(?-i:[Ss])(?-i:[Ss])-01@example\.com|brea(?-i:[KkK])gla(?-i:[Ss])(?-i:[Ss])-02@example\.com)$/
| filter not (properties.userPrincipalName =~ /[\x0a-\x0d\x85‧-‰]$/)
| sort @timestamp desc
| limit 10000
