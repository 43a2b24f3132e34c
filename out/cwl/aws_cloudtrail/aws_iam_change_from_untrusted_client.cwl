# Panther rule Sample.AWS.IAM.ChangeFromUntrustedClient (rules/aws_cloudtrail/aws_iam_change_from_untrusted_client.yml + rules/aws_cloudtrail/aws_iam_change_from_untrusted_client.py)
# Sample: AWS IAM Credentials Created or IAM Changed From an Untrusted Client
# An access key or console password was created, or an IAM change succeeded from a client other than the AWS CLI and Boto3 the team automates with.
# fidelity: exact
fields @timestamp, userIdentity.arn, userAgent
| fields if(eventName in ["CreateAccessKey", "CreateLoginProfile"], 1, 0) as EventNameInCreateAccessKeyCreateLoginProfile
| filter eventSource = "iam.amazonaws.com"
| filter (EventNameInCreateAccessKeyCreateLoginProfile = 1 and not (ispresent(errorCode))) or (isempty(errorCode) and EventNameInCreateAccessKeyCreateLoginProfile = 0 and (not (ispresent(userAgent)) or not (userAgent =~ /^(?:Boto3\x2f|aws-cli\x2f)/)))
| sort @timestamp desc
| limit 10000
