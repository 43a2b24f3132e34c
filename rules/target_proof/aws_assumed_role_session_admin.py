# Sample rule: an IAM or STS call made through an assumed role whose session is named "admin", read from
# the pieces of the caller's ARN (arn:aws:sts::<account>:assumed-role/<role>/<session>) and of the event
# source ("iam.amazonaws.com").
# Constructs exercised:
#   - a piece of a split compared with a list (`split(".")[0] in (...)`), the last piece (`[-1]`) and the
#     number of pieces (`len(split("/")) == 3`): YARA-L writes each as a regex on the field itself
#     ($e.target.application, $e.principal.user.userid), as Sigma and Logs Insights do
#   - rstrip() of a field compared with a text: a regex on the field allowing the stripped characters
#   - a field read with a string default, where the split of the default decides Python's answer on a
#     missing field (no alert: the default's pieces fail every test)
SERVICES = ("iam", "sts")


def rule(event):
    arn = event.deep_get("userIdentity", "arn", default="")
    if len(arn.split("/")) != 3 or arn.split("/")[-1] != "admin":
        return False
    if event.get("eventSource", "").split(".")[0] not in SERVICES:
        return False
    return event.get("eventName", "").rstrip("_") != "GetCallerIdentity"
