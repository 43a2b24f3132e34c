# Panther rule Sample.Simple.AWS.ConsoleLoginOutsideCorporateNetwork (rules/simple/aws_console_login_outside_corporate_network.yml + rules/simple/aws_console_login_outside_corporate_network.py)
# Sample (inline filters): AWS Console Sign-In From Outside the Corporate Network
# An IAM user or the root user signed in to the AWS console from an address outside the corporate networks. The network and identity checks are InlineFilters, applied before rule() runs.
# fidelity: approximate
# target-unsupported-construct: cwl: an isinstance() test cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, sourceIPAddress, userIdentity.type, additionalEventData.MFAUsed
| filter eventSource = "signin.amazonaws.com"
| filter userIdentity.type in ["IAMUser", "Root"]
| filter eventName = "ConsoleLogin"
| filter responseElements.ConsoleLogin = "Success"
| sort @timestamp desc
| limit 10000
