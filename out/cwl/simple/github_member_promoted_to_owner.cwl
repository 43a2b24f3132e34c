# Panther rule Sample.Simple.GitHub.MemberPromotedToOwner (rules/simple/github_member_promoted_to_owner.yml)
# Sample (simple): GitHub Organization Member Promoted to Owner
# An organization member's role was changed to owner (admin). Bots and the sandbox organizations are not reported. A member promoting themselves is raised to Critical.
# fidelity: approximate
# target-unsupported-construct: cwl: an isinstance() test cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, actor, user, org, `actor_location.country_code`
| filter action = "org.update_member"
| filter permission =~ /(?i)^admin$/
| filter not (ispresent(org)) or not (org in ["acme-sandbox", "acme-playground"])
| sort @timestamp desc
| limit 10000
