# Panther rule Sample.Zscaler.ZIA.SamlSettingChanged (rules/zscaler/zia_saml_setting_changed.yml + rules/zscaler/zia_saml_setting_changed.py)
# Sample: ZIA SAML Sign-In Turned On or Off
# An administrator changed whether users of Zscaler Internet Access sign in through SAML: turning it off moves sign-in back to hosted passwords, turning it on hands it to an identity provider.
# fidelity: exact
fields @timestamp
| fields if(ispresent(event.postaction.samlEnabled), 1, 0) as SamlEnabledIsPresent, if(ispresent(event.preaction.samlEnabled), 1, 0) as SamlEnabledIsPresent2
| filter event.action = "UPDATE"
| filter event.category = "AUTHENTICATION_SETTINGS"
| filter (SamlEnabledIsPresent2 = 1 and (not (event.preaction.samlEnabled = event.postaction.samlEnabled) or SamlEnabledIsPresent = 0)) or (SamlEnabledIsPresent2 = 0 and SamlEnabledIsPresent = 1)
| sort @timestamp desc
| limit 10000
