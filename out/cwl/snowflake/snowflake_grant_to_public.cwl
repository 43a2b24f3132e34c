# Panther rule Sample.Snowflake.GrantToPublic (rules/snowflake/snowflake_grant_to_public.yml + rules/snowflake/snowflake_grant_to_public.py)
# Sample: Snowflake Grant to PUBLIC
# A privilege or role was granted to PUBLIC, which every Snowflake user holds.
# log types: Snowflake.GrantsToRoles, Snowflake.GrantsToUsers (run over the log groups of each; the filter reads alike on every one)
# fidelity: exact
fields @timestamp
| filter `GRANTEE_NAME` = "PUBLIC"
| filter not (ispresent(`DELETED_ON`))
| sort @timestamp desc
| limit 10000
