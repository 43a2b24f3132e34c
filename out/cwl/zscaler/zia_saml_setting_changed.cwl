# Panther rule Sample.Zscaler.ZIA.SamlSettingChanged (rules/zscaler/zia_saml_setting_changed.yml + rules/zscaler/zia_saml_setting_changed.py)
# Sample: ZIA SAML Sign-In Turned On or Off
# An administrator changed whether users of Zscaler Internet Access sign in through SAML: turning it off moves sign-in back to hosted passwords, turning it on hands it to an identity provider.
# fidelity: approximate
# target-unsupported-construct: cwl: a test on event.preaction.samlEnabled (a boolean in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp
| filter event.action = "UPDATE"
| filter event.category = "AUTHENTICATION_SETTINGS"
| sort @timestamp desc
| limit 10000
