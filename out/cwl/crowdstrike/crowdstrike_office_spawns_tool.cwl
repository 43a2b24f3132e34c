# Panther rule Sample.Crowdstrike.OfficeSpawnsTool (rules/crowdstrike/crowdstrike_office_spawns_tool.yml + rules/crowdstrike/crowdstrike_office_spawns_tool.py)
# Sample: CrowdStrike Office Application Starts A Shell Or Download Tool
# Word, Excel or Outlook started cmd.exe, powershell.exe or mshta.exe (a malicious document running a payload), or certutil.exe or bitsadmin.exe ran with an argument that downloads a file.
# fidelity: approximate
# target-computed-value: cwl: a computed value (split(lower(event.get("event").get("CommandLine")), " ")) cannot be addressed as a field; replaced by its superset
fields @timestamp, aid, `event_simpleName`, event.ComputerName, event.UserName, event.ImageFileName, event.CommandLine
| fields if(`event_platform` = "Win", 1, 0) as EventPlatformIsWin, if(event.ImageFileName =~ /(?i)^(?:cmd\.exe|power(?-i:[Ss])hell\.exe)$|\\(?:cmd\.exe|power(?-i:[Ss])hell\.exe)$/, 1, 0) as ImageFileNameMatches, if(event.ImageFileName =~ /(?i)^m(?-i:[Ss])hta\.exe$|\\m(?-i:[Ss])hta\.exe$/, 1, 0) as ImageFileNameMatches2
| filter `event_simpleName` = "ProcessRollup2"
| filter not (event.ImageFileName =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter (EventPlatformIsWin = 1 and not (event.ParentBaseFileName =~ /[\x0a-\x0d\x85‧-‰]$/) and ((ImageFileNameMatches2 = 1 and event.ParentBaseFileName =~ /(?i)^outloo(?-i:[KkK])\.exe$|\\outloo(?-i:[KkK])\.exe$/) or (ImageFileNameMatches = 1 and event.ParentBaseFileName =~ /(?i)^(?:excel\.exe|w(?-i:[Ii])nword\.exe)$|\\(?:excel\.exe|w(?-i:[Ii])nword\.exe)$/))) or event.ImageFileName =~ /(?i)^(?:b(?-i:[Ii])t(?-i:[Ss])adm(?-i:[Ii])n\.exe|certut(?-i:[Ii])l\.exe)$|\\(?:b(?-i:[Ii])t(?-i:[Ss])adm(?-i:[Ii])n\.exe|certut(?-i:[Ii])l\.exe)$|^certut(?-i:[Ii])l\.exe$|\\certut(?-i:[Ii])l\.exe$/ or (not (event.ParentImageFileName =~ /[\x0a-\x0d\x85‧-‰]$/) and ((ImageFileNameMatches2 = 1 and event.ParentImageFileName =~ /(?i)^outloo(?-i:[KkK])\.exe$|\\outloo(?-i:[KkK])\.exe$/) or (ImageFileNameMatches = 1 and event.ParentImageFileName =~ /(?i)^(?:excel\.exe|w(?-i:[Ii])nword\.exe)$|\\(?:excel\.exe|w(?-i:[Ii])nword\.exe)$/)) and EventPlatformIsWin = 0)
| sort @timestamp desc
| limit 10000
