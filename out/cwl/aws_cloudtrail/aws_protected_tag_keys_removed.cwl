# Panther rule Sample.AWS.CloudTrail.ProtectedTagKeysRemoved (rules/aws_cloudtrail/aws_protected_tag_keys_removed.yml + rules/aws_cloudtrail/aws_protected_tag_keys_removed.py)
# Sample: Protected Tag Keys Removed From a Resource
# Tag keys that attribute-based access policies and cost reports rely on (Owner, DataClassification, CostCenter) were removed from a resource.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on requestParameters.tagKeys (a list in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
# target-quantifier: cwl: any()/all() over a list is not expressed in Logs Insights; replaced by its superset
fields @timestamp
| filter eventName in ["DeleteTags", "RemoveTagsFromResource", "UntagResource"]
| sort @timestamp desc
| limit 10000
