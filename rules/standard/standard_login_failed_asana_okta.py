# Sample rule over two log types, one of which no Google SecOps default parser reads: a failed sign-in
# to Asana, or an Okta account locked out after failed sign-ins.
# Constructs exercised:
#   - a condition that reads each log type its own way (`p_log_type` decides)
#   - YARA-L: Asana.Audit has no UDM base filter, Okta.SystemLog has one: the YARA-L rule covers Okta
#     alone and says Asana.Audit is left out (target-log-type-left-out), where the other targets cover both


def rule(event):
    if event.get("p_log_type") == "Asana.Audit":
        return event.get("event_type") == "user_login_failed"
    return event.get("eventType") == "user.account.lock"
