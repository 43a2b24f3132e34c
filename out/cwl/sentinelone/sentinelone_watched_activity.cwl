# Panther rule Sample.SentinelOne.WatchedActivity (rules/sentinelone/sentinelone_watched_activity.yml + rules/sentinelone/sentinelone_watched_activity.py)
# Sample: SentinelOne Watched Activity Type
# A SentinelOne management-console activity whose type the team put on its watchlist.
# fidelity: exact
fields @timestamp
| filter activitytype in ["27", "33", "5020"]
| sort @timestamp desc
| limit 10000
