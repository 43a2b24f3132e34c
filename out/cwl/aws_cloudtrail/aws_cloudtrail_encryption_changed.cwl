# Panther rule Sample.AWS.CloudTrail.EncryptionChanged (rules/aws_cloudtrail/aws_cloudtrail_encryption_changed.yml + rules/aws_cloudtrail/aws_cloudtrail_encryption_changed.py)
# Sample: CloudTrail Encryption Key Changed
# An UpdateTrail call names the trail's KMS key: the log files are encrypted with another key from now on, or (an empty or null key) no longer encrypted.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on requestParameters (a JSON object in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp
| filter eventName = "UpdateTrail"
| filter eventSource = "cloudtrail.amazonaws.com"
| sort @timestamp desc
| limit 10000
