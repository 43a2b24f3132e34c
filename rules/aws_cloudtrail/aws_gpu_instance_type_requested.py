# Sample rule: an EC2 launch asking for one of the largest GPU instance types by name.
# Constructs exercised:
#   - membership of a field in a tuple of strings where the tests also hold the field as an object
#     (an object equals no string: Logs Insights reads the field from jsonParse(@message), whose maps
#     compare false with any value)

GPU_TYPES = ("p4d.24xlarge", "p5.48xlarge")


def rule(event):
    if event.get("eventSource") != "ec2.amazonaws.com" or event.get("eventName") != "RunInstances":
        return False
    return event.deep_get("requestParameters", "instanceType") in GPU_TYPES


def title(event):
    return f"GPU instance requested in [{event.get('recipientAccountId', '<UNKNOWN>')}]"
