# Sample rule: a repository on the watch list was archived. The watch list is configured per deployment
# and ships empty, so as written the rule never alerts.
# Constructs exercised:
#   - a condition that folds to the constant false (membership in an empty module constant): Sigma
#     states it with one presence test as `selection and not selection`, exact (sigma/index.ts
#     constantDetection); YARA-L cannot state false and declares it


WATCHED_REPOS = {}


def rule(event):
    if event.get("action") != "repo.archived":
        return False
    return event.get("repo") in WATCHED_REPOS


def title(event):
    return f"Watched repository [{event.get('repo')}] archived by [{event.get('actor')}]"
