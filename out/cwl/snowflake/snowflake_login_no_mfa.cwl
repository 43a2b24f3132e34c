# Panther rule Sample.Snowflake.PasswordLoginWithoutMFA (rules/snowflake/snowflake_login_no_mfa.yml + rules/snowflake/snowflake_login_no_mfa.py)
# Sample: Snowflake Password Login Without MFA
# A Snowflake user signed in with a password and no second factor.
# fidelity: exact
fields @timestamp
| filter `EVENT_TYPE` = "LOGIN"
| filter `FIRST_AUTHENTICATION_FACTOR` = "PASSWORD"
| filter `IS_SUCCESS` = "YES"
| filter isempty(`SECOND_AUTHENTICATION_FACTOR`)
| sort @timestamp desc
| limit 10000
