# Panther rule Sample.Snowflake.StageDropped (rules/snowflake/snowflake_stage_dropped.yml + rules/snowflake/snowflake_stage_dropped.py)
# Sample: Snowflake Stage Dropped
# A Snowflake stage was dropped; the files it pointed to may no longer be loaded.
# fidelity: exact
fields @timestamp, `USER_NAME`
| filter `EXECUTION_STATUS` = "SUCCESS"
| filter `QUERY_TEXT` =~ /(?i)^(?:[\x09-\x0d\x1c-\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])*DROP(?:[\x09-\x0d\x1c-\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])+(?-i:[Ssſ])TAGE(?:[\x09-\x0d\x1c-\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])+(?:(?-i:[Iiİı])F(?:[\x09-\x0d\x1c-\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])+EX(?-i:[Iiİı])(?-i:[Ssſ])T(?-i:[Ssſ])(?:[\x09-\x0d\x1c-\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])+)?(?-i:[\x00-\x08\x0e-\x1b!-:<-\x84\x86-\x9f¡-ᙿᚁ-῿​-‧‪-‮‰-⁞⁠-⿿、-퟿-􏿿])+/
| sort @timestamp desc
| limit 10000
