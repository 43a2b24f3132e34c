# Sample rule: a pull request was merged by someone other than its author (GitHub.Webhook).
# Constructs exercised:
#   - != between two fields nested in one object column, each read with deep_get (None where missing):
#     KQL compares their texts and their presence (`tostring(a) != tostring(b) or isnull(a) != isnull(b)`),
#     since the tests hold both only as strings: a missing login is not the empty string
#   - the truthiness of a boolean the tests show


def rule(event):
    if event.get("action") != "closed" or not event.deep_get("pull_request", "merged"):
        return False
    merger = event.deep_get("pull_request", "merged_by", "login")
    author = event.deep_get("pull_request", "user", "login")
    return merger != author


def title(event):
    return (
        f"Pull request #{event.deep_get('pull_request', 'number')} in "
        f"[{event.deep_get('repository', 'full_name')}] merged by another user"
    )
