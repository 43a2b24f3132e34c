# Panther rule Sample.Simple.GitHub.MemberPromotedToOwner (rules/simple/github_member_promoted_to_owner.yml)
# Sample (simple): GitHub Organization Member Promoted to Owner
# An organization member's role was changed to owner (admin). Bots and the sandbox organizations are not reported. A member promoting themselves is raised to Critical.
# fidelity: exact
fields @timestamp, actor, user, org, `actor_location.country_code`
| filter action = "org.update_member"
| filter permission =~ /(?i)^adm(?-i:[Ii])n$/
| filter not (permission =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter not (ispresent(actor)) or not (actor =~ /\[bot\]$/) or actor =~ /[\x0a-\x0d\x85‧-‰]$/
| filter not (ispresent(org)) or not (org in ["acme-playground", "acme-sandbox"])
| sort @timestamp desc
| limit 10000
