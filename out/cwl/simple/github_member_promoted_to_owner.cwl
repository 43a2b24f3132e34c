# Panther rule Sample.Simple.GitHub.MemberPromotedToOwner (rules/simple/github_member_promoted_to_owner.yml)
# Sample (simple): GitHub Organization Member Promoted to Owner
# An organization member's role was changed to owner (admin). Bots and the sandbox organizations are not reported. A member promoting themselves is raised to Critical.
# fidelity: approximate
# target-regex-end-anchor: cwl: the end anchor $ of a regex also matches before a final line break in some regex engines (the Logs Insights flavour is not documented); the match may be wider on values ending in a line break
fields @timestamp, actor, user, org, `actor_location.country_code`
| filter action = "org.update_member"
| filter permission =~ /(?i)^admin$/
| filter not (ispresent(actor)) or not (actor =~ /\[bot\]$/)
| filter not (ispresent(org)) or not (org in ["acme-playground", "acme-sandbox"])
| sort @timestamp desc
| limit 10000
