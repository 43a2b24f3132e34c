# Panther rule Sample.Crowdstrike.EncodedPowerShell (rules/crowdstrike/crowdstrike_encoded_powershell.yml + rules/crowdstrike/crowdstrike_encoded_powershell.py)
# Sample: CrowdStrike Encoded PowerShell Command
# powershell.exe or pwsh.exe started with -e, -enc or -EncodedCommand followed by a long base64 string, on a host that is not a build agent or an administrative jump box. Encoded commands hide what a script does and are common in malware droppers.
# fidelity: exact
fields @timestamp, aid, `event_simpleName`, event.ComputerName, event.UserName, event.ImageFileName, event.CommandLine
| filter event.CommandLine =~ /(?i)(?:[\x09-\x0d\x1c-\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])-e(nc(odedcommand)?)?(?:[\x09-\x0d\x1c-\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])+(?-i:[+\x2f-9=A-Za-zİ-ıſK]){40,}/
| filter (event.ImageFileName =~ /(?i)\\(power(?-i:[Ssſ])hell|pw(?-i:[Ssſ])h)(_(?-i:[Iiİı])(?-i:[Ssſ])e)?\.exe\n?$/ and not (event.ImageFileName =~ /[\x0a-\x0d\x85‧-‰]$/)) or (event.ImageFileName =~ /(?i)\\(power(?-i:[Ssſ])hell|pw(?-i:[Ssſ])h)(_(?-i:[Iiİı])(?-i:[Ssſ])e)?\.exe\n$/ and not (event.ImageFileName =~ /[\x0a-\x0d\x85‧-‰][\x0a-\x0d\x85‧-‰]$/))
| filter `event_simpleName` =~ /^(?:(Synthetic)?ProcessRollup2)$/
| filter not (`event_simpleName` =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter not (ispresent(aid)) or not (aid in ["0f9e8d7c6b5a49382716f5e4d3c2b1a0", "a1b2c3d4e5f60718293a4b5c6d7e8f90"])
| sort @timestamp desc
| limit 10000
