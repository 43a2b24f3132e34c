# Panther rule Sample.Teleport.ProdSynScan (rules/teleport/teleport_prod_syn_scan.yml + rules/teleport/teleport_prod_syn_scan.py)
# Sample: SYN Scan from a Teleport Session on a Production Host
# A command run in a Teleport SSH session on a production host (label env=prod, hostname under corp.example) passed the SYN scan flag -sS.
# fidelity: exact
fields @timestamp, jsonParse(@message) as jsonMessage
| unnest jsonMessage.argv into argvItem
| filter argvItem = "-sS"
| filter event = "session.command"
| filter `server_labels.env` = "prod"
| filter not (isempty(program))
| filter `server_hostname` =~ /\.corp\.example(?:\.)*$/
| filter not (`server_hostname` =~ /[\x0a-\x0d\x85‧-‰]$/)
| sort @timestamp desc
| limit 10000
