# Panther rule Sample.AWS.EC2.GPUInstanceLaunched (rules/aws_cloudtrail/aws_ec2_gpu_instance_launched.yml + rules/aws_cloudtrail/aws_ec2_gpu_instance_launched.py)
# Sample: EC2 GPU Instance Launched
# An EC2 instance of a GPU type was launched. Stolen credentials are often used to run cryptocurrency miners on the largest GPU instances an account may start.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on requestParameters.instanceType (a JSON object in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp
| filter eventName = "RunInstances"
| filter eventSource = "ec2.amazonaws.com"
| sort @timestamp desc
| limit 10000
