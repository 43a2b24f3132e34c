# Sample rule: a file named like a credential (a service account key, a private key) was uploaded to a
# Cloud Storage bucket. The object's name is what follows the last "/objects/" of the resource name
# (projects/_/buckets/<bucket>/objects/<object>).
# Constructs exercised:
#   - `re.match` on the last piece of a split on a text of several characters (`split("/objects/")[-1]`):
#     Sigma writes one `|re` on the resource name, the cuts Python's split makes first
#     (`^(?:(?:(?!S)[\s\S])*S)*(?![\s\S]*S)`, sigma/printer.ts `lastPieceRegex`), then the pattern with
#     its flags scoped to it; the other targets declare the computed value

import re

KEY_FILE = re.compile(r"(?i)(service[-_]?account|credentials?|private[-_]?key).*\.(json|pem|p12)$")


def rule(event):
    if event.deep_get("protoPayload", "methodName") != "storage.objects.create":
        return False
    resource = event.deep_get("protoPayload", "resourceName", default="")
    if "/objects/" not in resource:
        return False
    return bool(KEY_FILE.match(resource.split("/objects/")[-1]))


def title(event):
    return f"Credential-like file uploaded: [{event.deep_get('protoPayload', 'resourceName')}]"
