# Panther rule Sample.AWS.CloudTrail.ConsoleBrowserMismatch (rules/aws_cloudtrail/aws_console_browser_mismatch.yml + rules/aws_cloudtrail/aws_console_browser_mismatch.py)
# Sample: AWS Browser Console Login on the Sign-In Service, or Other Activity Outside It
# A console login from a browser on the sign-in service, or, on any other service, an event that is not a console login from a browser. A console login without a user agent is not flagged.
# fidelity: exact
fields @timestamp
| fields if(eventName = "ConsoleLogin", 1, 0) as EventNameIsConsoleLogin, if(eventSource = "signin.amazonaws.com", 1, 0) as EventSourceIsSigninAmazonawsCom, if(userAgent like "Mozilla", 1, 0) as UserAgentLikeMozilla
| filter not (isempty(userAgent)) or EventNameIsConsoleLogin = 0
| filter (EventNameIsConsoleLogin = 1 and EventSourceIsSigninAmazonawsCom = 1 and UserAgentLikeMozilla = 1) or (EventSourceIsSigninAmazonawsCom = 0 and (EventNameIsConsoleLogin = 0 or UserAgentLikeMozilla = 0))
| sort @timestamp desc
| limit 10000
