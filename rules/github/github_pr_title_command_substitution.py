# Sample rule: a pull request title carrying shell command substitution, which a CI workflow that
# interpolates the title into a script would run.
# Constructs exercised:
#   - `if not title: return False` before string tests on the title, whose type the tests do not fix
#     (a string in most, a number in one): Sigma writes no truthiness of such a field, and needs none,
#     since its string tests are false on "", on a missing title and on a value that is not a string
#   - re.search with a module-level compiled pattern, str.startswith
import re

SUBSTITUTION = re.compile(r"\$\([^)]+\)")


def rule(event):
    if event.get("action") != "opened":
        return False
    title = event.deep_get("pull_request", "title")
    if not title:
        return False
    return bool(SUBSTITUTION.search(title)) or title.startswith("`")
