# Panther rule Sample.AWS.EC2.GpuInstanceTypeRequested (rules/aws_cloudtrail/aws_gpu_instance_type_requested.yml + rules/aws_cloudtrail/aws_gpu_instance_type_requested.py)
# Sample: Large GPU Instance Type Requested
# An EC2 launch asked for one of the largest GPU instance types by name. Such instances are a common target of cryptocurrency mining on stolen credentials.
# fidelity: exact
fields @timestamp, jsonParse(@message) as jsonMessage
| filter eventName = "RunInstances"
| filter eventSource = "ec2.amazonaws.com"
| filter jsonMessage.requestParameters.instanceType = "p4d.24xlarge" or jsonMessage.requestParameters.instanceType = "p5.48xlarge"
| sort @timestamp desc
| limit 10000
