# Panther rule Sample.AWS.IAM.AccessKeyForUserOutsideDomain (rules/aws_cloudtrail/aws_access_key_for_user_outside_domain.yml + rules/aws_cloudtrail/aws_access_key_for_user_outside_domain.py)
# Sample: Access Key Created for a User Outside the Actor's Domain
# An IAM user created an access key for a different IAM user whose name (an email address) is not in the actor's own domain. A key handed to an outside party is a common persistence step.
# fidelity: approximate
# target-unsupported-construct: cwl: a string test between two fields cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, userIdentity.arn, responseElements.accessKey.userName, sourceIPAddress
| filter eventName = "CreateAccessKey"
| filter eventSource = "iam.amazonaws.com"
| filter isempty(errorCode)
| sort @timestamp desc
| limit 10000
