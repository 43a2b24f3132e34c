# Panther rule Sample.Salesforce.LoginAsFromOffice (rules/salesforce/salesforce_login_as_event.yml + rules/salesforce/salesforce_login_as_event.py)
# Sample: Salesforce Login-As Event
# An administrator logged in as another Salesforce user (Login As event log file rows or Real-Time Event Monitoring).
# log types: Salesforce.LoginAs, Salesforce.RealtimeEvent (run over the log groups of each; the filter reads alike on every one)
# fidelity: exact
fields @timestamp
| filter `EVENT_TYPE` in ["LoginAs", "LoginAsEvent"]
| sort @timestamp desc
| limit 10000
