# Sample rule: a storage account's network rules were changed to allow access from every network.
# Constructs exercised:
#   - isinstance(x, str) before json.loads(x) with the decoding error caught (the document is tested only
#     where x is JSON text): beside a test on an attribute of the document, Logs Insights' jsonParse()
#     already reads every other value as an empty one whose attributes are missing, so the type test goes
import json


def rule(event):
    if event.get("operationName", "").upper() != "MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE":
        return False
    body = event.deep_get("properties", "requestbody")
    if not isinstance(body, str):
        return False
    try:
        doc = json.loads(body)
    except json.JSONDecodeError:
        return False
    return doc.get("properties", {}).get("networkAcls", {}).get("defaultAction") == "Allow"
