# Panther rule Sample.Okta.SessionFromScriptedClient (rules/okta/okta_session_from_scripted_client.yml + rules/okta/okta_session_from_scripted_client.py)
# Sample: Okta Session Started by a Scripted HTTP Client
# A user's Okta session was started successfully by curl, python-requests, wget or a similar command-line client. People sign in with browsers; scripted sign-ins are typical of credential stuffing tools and of session-token theft replayed from a script.
# fidelity: exact
fields @timestamp, actor.alternateId, client.userAgent.rawUserAgent, client.ipAddress, eventType
| filter eventType =~ /(?i)^(?:u(?-i:[Ss])er\.authent(?-i:[Ii])cat(?-i:[Ii])on\.(?-i:[Ss])(?-i:[Ss])o|u(?-i:[Ss])er\.(?-i:[Ss])e(?-i:[Ss])(?-i:[Ss])(?-i:[Ii])on\.(?-i:[Ss])tart)$/
| filter not (eventType =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter outcome.result =~ /(?i)^(?-i:[Ssſ])UCCE(?:(?-i:[Ssſ])(?-i:[Ssſ])|(?-i:[ß]))$/
| filter not (outcome.result =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter client.userAgent.rawUserAgent =~ /(?i)^(?:curl\x2f|go-http-cl(?-i:[Ii])ent\x2f|o(?-i:[KkK])http\x2f|python-reque(?:(?-i:[Ssſ])t|(?-i:[ﬅﬆ]))(?-i:[Ssſ])\x2f|wget\x2f)/
| sort @timestamp desc
| limit 10000
