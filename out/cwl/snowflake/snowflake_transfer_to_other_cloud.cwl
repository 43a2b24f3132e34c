# Panther rule Sample.Snowflake.TransferToOtherCloud (rules/snowflake/snowflake_transfer_to_other_cloud.yml + rules/snowflake/snowflake_transfer_to_other_cloud.py)
# Sample: Snowflake Data Transfer to Another Cloud
# Snowflake transferred data to a cloud provider other than the one of the account.
# fidelity: exact
fields @timestamp
| filter `SOURCE_CLOUD` = "AWS"
| filter not (isempty(`TARGET_CLOUD`))
| filter `TARGET_CLOUD` != "AWS"
| sort @timestamp desc
| limit 10000
