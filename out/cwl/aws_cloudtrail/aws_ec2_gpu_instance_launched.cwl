# Panther rule Sample.AWS.EC2.GPUInstanceLaunched (rules/aws_cloudtrail/aws_ec2_gpu_instance_launched.yml + rules/aws_cloudtrail/aws_ec2_gpu_instance_launched.py)
# Sample: EC2 GPU Instance Launched
# An EC2 instance of a GPU type was launched. Stolen credentials are often used to run cryptocurrency miners on the largest GPU instances an account may start.
# fidelity: exact
fields @timestamp, jsonParse(@message) as jsonMessage
| filter eventName = "RunInstances"
| filter eventSource = "ec2.amazonaws.com"
| filter requestParameters.instanceType.value in ["g5.48xlarge", "p4d.24xlarge", "p5.48xlarge"] or jsonMessage.requestParameters.instanceType = "g5.48xlarge" or jsonMessage.requestParameters.instanceType = "p4d.24xlarge" or jsonMessage.requestParameters.instanceType = "p5.48xlarge"
| sort @timestamp desc
| limit 10000
