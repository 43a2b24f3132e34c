# Sample rule: an S3 object read that transferred data.
# Pins target truthiness of a number (bytesTransferredOut 0 is falsy in Python) and of an object
# (requestParameters {} is falsy).


def rule(event):
    if not event.get("requestParameters"):
        return False
    if not event.deep_get("additionalEventData", "bytesTransferredOut"):
        return False
    return event.get("eventName") == "GetObject"
