# Sample rule: an EC2 instance of a GPU type was launched.
# Constructs exercised:
#   - isinstance(x, Mapping): CloudTrail writes instanceType as a string or as {"value": ...};
#     the type test beside a test on x.get("value") (or on x itself) is decided by that test
#     (every target reads requestParameters.instanceType.value, or the field itself)
#   - deep_get with a default that is not a mapping, then .get() with a default on the mapping
from collections.abc import Mapping

GPU_TYPES = {"p4d.24xlarge", "p5.48xlarge", "g5.48xlarge"}


def launched_type(event):
    instance_type = event.deep_get("requestParameters", "instanceType", default="<NONE>")
    if isinstance(instance_type, Mapping):
        return instance_type.get("value", "<NONE>")
    return instance_type


def rule(event):
    if event.get("eventSource") != "ec2.amazonaws.com" or event.get("eventName") != "RunInstances":
        return False
    return launched_type(event) in GPU_TYPES


def title(event):
    return f"GPU instance [{launched_type(event)}] launched in [{event.get('awsRegion', '<UNKNOWN_REGION>')}]"
