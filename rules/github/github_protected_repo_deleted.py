# Sample rule: a repository matching a protected-name glob was deleted or archived.
# Constructs exercised:
#   - fnmatch glob inside any(... for glob in CONST); globs that only anchor a literal (a name,
#     `prefix*`, `*suffix`, `*part*`) render as plain string tests, the others as patterns
#   - walrus: `if (repo := event.get("repo")) and repo.startswith(...)`
#   - a module constant replaced in tests through Mocks, behind
#     `if isinstance(APPROVED_ACTORS, MagicMock): APPROVED_ACTORS = json.loads(APPROVED_ACTORS())`
#   - title() f-string; inline alert_context()
import json
from fnmatch import fnmatch
from unittest.mock import MagicMock

PROTECTED_REPO_GLOBS = (
    "acme-corp/prod-*",
    "acme-corp/*-infra",
    "acme-corp/security-?",
    "acme-corp/vault",
    "*/signing-keys",
    "*terraform-state*",
)
DESTRUCTIVE_ACTIONS = ("repo.destroy", "repo.archived")
APPROVED_ACTORS = ["acme-repo-janitor[bot]"]


def rule(event):
    global APPROVED_ACTORS  # pylint: disable=global-statement
    if isinstance(APPROVED_ACTORS, MagicMock):
        APPROVED_ACTORS = json.loads(APPROVED_ACTORS())  # pylint: disable=not-callable
    if event.get("action") not in DESTRUCTIVE_ACTIONS:
        return False
    if event.get("actor") in APPROVED_ACTORS:
        return False
    # sandbox repositories are never protected, whatever their name
    if (repo := event.get("repo")) and repo.startswith("acme-corp/sandbox-"):
        return False
    return any(fnmatch(event.get("repo", ""), glob) for glob in PROTECTED_REPO_GLOBS)


def title(event):
    return f"GitHub: [{event.get('actor')}] ran {event.get('action')} on protected repository [{event.get('repo')}]"


def alert_context(event):
    return {
        "actor": event.get("actor"),
        "action": event.get("action"),
        "repo": event.get("repo"),
        "org": event.get("org"),
        "country": event.deep_get("actor_location", "country_code"),
    }
