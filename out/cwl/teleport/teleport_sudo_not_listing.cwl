# Panther rule Sample.Teleport.SudoCommand (rules/teleport/teleport_sudo_not_listing.yml + rules/teleport/teleport_sudo_not_listing.py)
# Sample: sudo Command in a Teleport Session
# sudo ran a command in a Teleport SSH session (listing one's own privileges with `sudo -l` is left out).
# fidelity: exact
fields @timestamp, jsonParse(@message) as jsonMessage
| filter event = "session.command"
| filter program = "sudo"
| filter not (jsonArrayContains(jsonStringify(jsonMessage.argv), "-l"))
| sort @timestamp desc
| limit 10000
