# Panther rule Sample.GSuite.PasswordReuseAllowed (rules/gsuite/gsuite_password_reuse_allowed.yml + rules/gsuite/gsuite_password_reuse_allowed.py)
# Sample: Google Workspace Password Reuse Allowed
# An administrator turned on password reuse, which lets users go back to passwords that may have leaked.
# fidelity: approximate
# target-key-case: cwl: the query reads parameters.SETTING_NAME, while the rule's tests also hold Parameters in another casing, which Panther finds and cwl field names (case-sensitive) do not
fields @timestamp
| filter name = "CHANGE_APPLICATION_SETTING"
| filter (`parameters.NEW_VALUE` =~ /(?i)^true$/ and not (`parameters.NEW_VALUE` =~ /[\x0a-\x0d\x85‧-‰]$/)) or (not (ispresent(`parameters.NEW_VALUE`)) and `parameters.new_value` =~ /(?i)^true$/ and not (`parameters.new_value` =~ /[\x0a-\x0d\x85‧-‰]$/))
| filter `parameters.SETTING_NAME` = "Password Management - Enable password reuse"
| sort @timestamp desc
| limit 10000
