# Panther rule Sample.Simple.AWS.IAM.PrivilegedTagOnUser (rules/simple/aws_iam_privileged_tag_on_user.yml)
# Sample (simple): IAM User Created or Tagged With a Privileged Access Level
# An IAM user was created or tagged with an access-level tag granting admin, root or break-glass access. Tag-based access control (ABAC) policies trust these tags, so setting them is a grant of privilege. Both the tag key and the tag value must be on the same tag.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on requestParameters.tags (a list in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, requestParameters.userName, userIdentity.arn, sourceIPAddress, requestParameters.tags.0.key, jsonParse(@message) as jsonMessage
| unnest jsonMessage.requestParameters.tags into tagsItem
| filter eventName in ["CreateUser", "TagUser"]
| filter eventSource = "iam.amazonaws.com"
| filter tagsItem.key =~ /(?i)^acce(?-i:[Ss])(?-i:[Ss])-level$/
| filter not (tagsItem.key =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter tagsItem.value in ["admin", "break-glass", "root"]
| filter not (ispresent(errorCode))
| sort @timestamp desc
| limit 10000
