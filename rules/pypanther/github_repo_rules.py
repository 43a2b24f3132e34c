# Sample pypanther module (written for this project) holding two rules and their shared base.
# Constructs exercised:
#   - several rule classes in one module (named file.py::Class), an abstract base without an id
#   - an inherited constant and method, a tuple constant, str.startswith with it
#   - tests shared through a module-level list and extended with `+`
from pypanther import Rule, RuleTest


class GitHubRepoRule(Rule):
    # no id: a base for the rules below, not a rule itself (as pypanther's get_rules reads it)
    log_types = ["GitHub.Audit"]
    default_severity = "LOW"
    PROTECTED_PREFIXES = ("prod-", "infra-")

    def repo(self, event):
        return event.get("repo", "")

    def protected(self, event):
        return self.repo(event).startswith(self.PROTECTED_PREFIXES)

    def title(self, event):
        return f"{event.get('actor')} changed {self.repo(event)}"


COMMON_TESTS = [
    RuleTest(
        name="Unprotected repository",
        expected_result=False,
        log={"action": "repo.archived", "repo": "sandbox-x", "actor": "ana"},
    ),
]


class SampleGitHubProtectedRepoArchived(GitHubRepoRule):
    id = "Sample.PyPanther.GitHub.ProtectedRepoArchived"
    display_name = "Protected repository archived"

    def rule(self, event):
        return event.get("action") == "repo.archived" and self.protected(event)

    tests = COMMON_TESTS + [
        RuleTest(
            name="Protected repository archived",
            expected_result=True,
            log={"action": "repo.archived", "repo": "prod-api", "actor": "ana"},
        ),
        RuleTest(
            name="Protected repository renamed",
            expected_result=False,
            log={"action": "repo.rename", "repo": "prod-api", "actor": "ana"},
        ),
    ]


class SampleGitHubProtectedRepoMadePublic(GitHubRepoRule):
    id = "Sample.PyPanther.GitHub.ProtectedRepoMadePublic"
    display_name = "Protected repository made public"
    default_severity = "HIGH"

    def rule(self, event):
        return event.get("action") == "repo.access" and event.get("visibility") == "public" and self.protected(event)

    tests = COMMON_TESTS + [
        RuleTest(
            name="Infra repository made public",
            expected_result=True,
            log={"action": "repo.access", "visibility": "public", "repo": "infra-terraform", "actor": "bo"},
        ),
        RuleTest(
            name="Infra repository made private",
            expected_result=False,
            log={"action": "repo.access", "visibility": "private", "repo": "infra-terraform", "actor": "bo"},
        ),
        RuleTest(
            name="No repository",
            expected_result=False,
            log={"action": "repo.access", "visibility": "public", "actor": "bo"},
        ),
    ]
