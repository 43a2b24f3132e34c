# Panther rule Sample.Crowdstrike.EncodedPowerShell (rules/crowdstrike/crowdstrike_encoded_powershell.yml + rules/crowdstrike/crowdstrike_encoded_powershell.py)
# Sample: CrowdStrike Encoded PowerShell Command
# powershell.exe or pwsh.exe started with -e, -enc or -EncodedCommand followed by a long base64 string, on a host that is not a build agent or an administrative jump box. Encoded commands hide what a script does and are common in malware droppers.
# fidelity: exact
fields @timestamp, aid, `event_simpleName`, event.ComputerName, event.UserName, event.ImageFileName, event.CommandLine
| filter `event_simpleName` =~ /\A(?:(Synthetic)?ProcessRollup2)\z/
| filter not (ispresent(aid)) or aid != "a1b2c3d4e5f60718293a4b5c6d7e8f90"
| filter not (ispresent(aid)) or aid != "0f9e8d7c6b5a49382716f5e4d3c2b1a0"
| filter event.ImageFileName =~ /(?i)\\(power(?-i:[Ssſ])hell|pw(?-i:[Ssſ])h)(_(?-i:[Iiİı])(?-i:[Ssſ])e)?\.exe(?:\n?\z)/
| filter event.CommandLine =~ /(?i)[\x09-\x0d\x1c-\x20\x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}-\x{2029}\x{202f}\x{205f}\x{3000}]-e(nc(odedcommand)?)?[\x09-\x0d\x1c-\x20\x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}-\x{2029}\x{202f}\x{205f}\x{3000}]+(?-i:[+\x2f-9=A-Za-zİ-ıſK]){40,}/
| sort @timestamp desc
| limit 10000
