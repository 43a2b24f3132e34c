# Panther rule Sample.Teleport.ShellWithArgs (rules/teleport/teleport_shell_with_args.yml + rules/teleport/teleport_shell_with_args.py)
# Sample: Shell Started with Arguments in a Teleport Session
# A shell was started with arguments (a one-off command rather than an interactive shell) in a Teleport SSH session.
# fidelity: exact
fields @timestamp
| filter ispresent(argv.0)
| filter event = "session.command"
| filter program in ["bash", "sh", "zsh"]
| sort @timestamp desc
| limit 10000
