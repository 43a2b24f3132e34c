# Panther rule Sample.Duo.Admin.LongBypassOutsideDomain (rules/duo/duo_admin_long_bypass_outside_domain.yml + rules/duo/duo_admin_long_bypass_outside_domain.py)
# Sample: Duo Administrator Put an Outside User in Long Bypass
# A Duo administrator set a user of a domain outside the organisation to bypass status for more than an hour.
# fidelity: exact
fields @timestamp, username, object, jsonParse(description) as jsonDescription
| filter action = "user_update"
| filter description =~ /^\{/
| filter object =~ /^[^@]*@/
| filter not (object =~ /^[^@]*@[^@]*@/)
| filter jsonDescription.status = "Bypass"
| filter ispresent(jsonDescription.`bypass_info`.`valid_secs`)
| filter not (jsonDescription.`bypass_info`.`valid_secs` <= 3600)
| filter not (ispresent(object)) or object =~ /[\x0a-\x0d\x85‧-‰]$/ or not (object =~ /(?i)^(?:example\.com|example\.org)$|@(?:example\.com|example\.org)$/)
| sort @timestamp desc
| limit 10000
