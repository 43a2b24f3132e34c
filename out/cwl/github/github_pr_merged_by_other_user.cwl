# Panther rule Sample.GitHub.Webhook.PRMergedByOtherUser (rules/github/github_pr_merged_by_other_user.yml + rules/github/github_pr_merged_by_other_user.py)
# Sample: GitHub Pull Request Merged by Another User
# A pull request was merged by a user other than the one who opened it. On repositories where authors merge their own changes, a merge by someone else is worth a look.
# fidelity: approximate
# target-unproven: cwl: the artifact could not be run on 3 test(s) by its evaluator (what a negated comparison (or `not` around a comparison) does on the absent field 'pull_request.merged_by.login' decides the result, and is undocumented)
fields @timestamp
| filter action = "closed"
| filter `pull_request.merged` = 1
| filter not (`pull_request.merged_by.login` = `pull_request.user.login`)
| sort @timestamp desc
| limit 10000
