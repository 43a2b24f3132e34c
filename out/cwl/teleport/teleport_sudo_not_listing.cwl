# Panther rule Sample.Teleport.SudoCommand (rules/teleport/teleport_sudo_not_listing.yml + rules/teleport/teleport_sudo_not_listing.py)
# Sample: sudo Command in a Teleport Session
# sudo ran a command in a Teleport SSH session (listing one's own privileges with `sudo -l` is left out).
# fidelity: approximate
# target-unsupported-construct: cwl: a test on argv (a list in the mapping) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp
| filter event = "session.command"
| filter program = "sudo"
| sort @timestamp desc
| limit 10000
