# Panther rule Sample.AWS.CloudTrail.ChangeByClientKind (rules/aws_cloudtrail/aws_change_by_client_kind.yml + rules/aws_cloudtrail/aws_change_by_client_kind.py)
# Sample: AWS Change From the Console (IAM Only) or the AWS CLI, Outside the Office Network
# An IAM change made from the AWS console, or any change made with the AWS CLI, from an address outside the 10.x office network.
# fidelity: exact
fields @timestamp
| fields if(userAgent like "console.amazonaws.com", 1, 0) as UserAgentLikeConsoleAmazonawsCom
| filter (eventSource = "iam.amazonaws.com" and UserAgentLikeConsoleAmazonawsCom = 1) or (userAgent like "aws-cli" and UserAgentLikeConsoleAmazonawsCom = 0)
| filter not (sourceIPAddress =~ /^10\./) or isempty(sourceIPAddress)
| sort @timestamp desc
| limit 10000
