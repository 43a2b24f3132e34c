# Panther rule Sample.AWS.Console.FederatedLoginDomainMismatch (rules/aws_cloudtrail/aws_federated_login_domain_mismatch.yml + rules/aws_cloudtrail/aws_federated_login_domain_mismatch.py)
# Sample: Federated Sign-In Names Another Domain
# A federated console sign-in whose role session name (an email address) is in another domain than the SAML subject the identity provider asserted.
# fidelity: exact
fields @timestamp
| fields if(ispresent(userIdentity.principalId), 1, 0) as PrincipalIdIsPresent, if(ispresent(additionalEventData.SamlSubject), 1, 0) as SamlSubjectIsPresent
| filter eventName = "ConsoleLogin"
| filter (PrincipalIdIsPresent = 1 and ((SamlSubjectIsPresent = 1 and regexReplace(userIdentity.principalId, "(?s)^.*@", "") != regexReplace(additionalEventData.SamlSubject, "(?s)^.*@", "")) or (SamlSubjectIsPresent = 0 and regexReplace(userIdentity.principalId, "(?s)^.*@", "") != ""))) or (PrincipalIdIsPresent = 0 and SamlSubjectIsPresent = 1 and regexReplace(additionalEventData.SamlSubject, "(?s)^.*@", "") != "")
| sort @timestamp desc
| limit 10000
