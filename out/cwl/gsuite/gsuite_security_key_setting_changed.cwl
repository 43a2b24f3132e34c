# Panther rule Sample.GSuite.SecurityKeySettingChanged (rules/gsuite/gsuite_security_key_setting_changed.yml + rules/gsuite/gsuite_security_key_setting_changed.py)
# Sample: Google Workspace Security Key Enforcement Disabled
# An administrator disabled a security-key enforcement setting, which lets users sign in without a phishing-resistant second factor.
# fidelity: exact
fields @timestamp
| filter name = "CHANGE_APPLICATION_SETTING"
| filter `parameters.NEW_VALUE` =~ /disabled[^\-]*$/
| filter `parameters.SETTING_NAME` =~ /^(?:(?:[\x09-\x0d\x1c-\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])*Security Key Enforcement(?:[\x09-\x0d\x1c-\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])*-|(?:[\x09-\x0d\x1c-\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])*Security Key Enforcement(?:[\x09-\x0d\x1c-\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])*$)/
| sort @timestamp desc
| limit 10000
