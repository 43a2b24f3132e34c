# Panther rule Sample.Snowflake.UnloadToExternalUrl (rules/snowflake/snowflake_query_unload_to_url.yml + rules/snowflake/snowflake_query_unload_to_url.py)
# Sample: Snowflake Query Unloaded Data to an External URL
# A successful COPY INTO unloaded data straight to an external storage URL.
# fidelity: exact
fields @timestamp
| filter `EXECUTION_STATUS` = "SUCCESS"
| filter `QUERY_TYPE` = "UNLOAD"
| filter `QUERY_TEXT` =~ /(?i)'AZURE:\x2f\x2f|'GC(?-i:[Ssſ]):\x2f\x2f|'(?-i:[Ssſ])3:\x2f\x2f/
| sort @timestamp desc
| limit 10000
