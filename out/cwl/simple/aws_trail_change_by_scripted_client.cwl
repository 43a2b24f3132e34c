# Panther rule Sample.Simple.AWS.TrailChangeByScriptedClient (rules/simple/aws_trail_change_by_scripted_client.yml)
# Sample (simple): CloudTrail Trail Changed by a Scripted Client
# A trail was deleted, stopped or updated, or its event selectors were replaced, by the AWS CLI, Boto3 or Terraform rather than from the console. Changes to logging made by scripts deserve a look when the pipeline that owns the trail did not make them.
# fidelity: exact
fields @timestamp, requestParameters.name, requestParameters.bucketName, userAgent
| filter eventName in ["DeleteTrail", "StopLogging", "UpdateTrail"] or eventName = "PutEventSelectors"
| filter userAgent in ["Boto3/1.34.0", "Terraform/1.5.7", "aws-cli/2.15.0"] or userAgent =~ /^aws-cli\x2f/
| sort @timestamp desc
| limit 10000
