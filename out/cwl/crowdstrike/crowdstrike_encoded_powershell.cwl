# Panther rule Sample.Crowdstrike.EncodedPowerShell (rules/crowdstrike/crowdstrike_encoded_powershell.yml + rules/crowdstrike/crowdstrike_encoded_powershell.py)
# Sample: CrowdStrike Encoded PowerShell Command
# powershell.exe or pwsh.exe started with -e, -enc or -EncodedCommand followed by a long base64 string, on a host that is not a build agent or an administrative jump box. Encoded commands hide what a script does and are common in malware droppers.
# fidelity: unsupported
# not rendered:
#   cwl: log type Crowdstrike.FDREvent does not reach CloudWatch Logs (no mapping)
