# Panther rule Sample.Crowdstrike.CredentialToolRun (rules/crowdstrike/crowdstrike_credential_tool_run.yml + rules/crowdstrike/crowdstrike_credential_tool_run.py)
# Sample: CrowdStrike Credential Theft Tool Run
# A process whose image file name is a well-known credential-theft tool (Mimikatz, ProcDump, LaZagne, pypykatz, or a *katz.ps1 script) started on a Windows host.
# fidelity: exact
fields @timestamp, aid, event.ComputerName, event.ImageFileName
| filter `event_simpleName` = "ProcessRollup2"
| filter event.ImageFileName =~ /^[^\\]*\\/
| filter `event_platform` =~ /(?i)^w(?-i:[Ii])n$/
| filter not (`event_platform` =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter not (event.ImageFileName =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter event.ImageFileName =~ /(?i)^(?:lazagne\.exe|m(?-i:[Ii])m(?-i:[Ii])(?-i:[KkK])atz\.exe|procdump\.exe|pypy(?-i:[KkK])atz\.exe)$|\\(?:lazagne\.exe|m(?-i:[Ii])m(?-i:[Ii])(?-i:[KkK])atz\.exe|procdump\.exe|pypy(?-i:[KkK])atz\.exe)$|(?-i:[KkK])atz\.p(?-i:[Ss])1$/
| sort @timestamp desc
| limit 10000
