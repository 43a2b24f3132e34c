# Panther rule Sample.Standard.BreakGlassAccountSignIn (rules/standard/standard_break_glass_sign_in.yml + rules/standard/standard_break_glass_sign_in.py)
# Sample: Break-Glass Account Signed In
# One of the emergency (break-glass) accounts signed in successfully to Okta or to Microsoft Entra ID. These accounts exist for outages of the normal sign-in path and should stay unused.
# fidelity: unsupported
# target-first-log-type: cwl: only the first log type (Okta.SystemLog) is queried; Azure.Audit left out
# unsupported-unmapped-field: cwl: field p_log_type of Okta.SystemLog has no cwl mapping (field 'p_log_type' of Okta.SystemLog has no CloudWatch Logs Insights mapping: the log type is selected by the log group. Add one with --mapping FILE (see mappings/README.md)); replaced by its superset
fields @timestamp, actor.alternateId, client.ipAddress, client.userAgent.rawUserAgent
| filter eventType = "user.session.start" and outcome.result = "SUCCESS" and actor.alternateId =~ /(?i)^(?:breakglass-01@example\.com|breakglass-02@example\.com)$/ or category = "SignInLogs" and properties.status.errorCode = 0 and properties.userPrincipalName =~ /(?i)^(?:breakglass-01@example\.com|breakglass-02@example\.com)$/
| sort @timestamp desc
| limit 10000
