# Panther rule Sample.Microsoft365.GuestSharingActivity (rules/microsoft365/m365_guest_sharing_activity.yml + rules/microsoft365/m365_guest_sharing_activity.py)
# Sample: Microsoft 365 Guest Shared Content or Changed Mail Forwarding
# A B2B guest account created a sharing link or invitation in SharePoint or OneDrive, or created an inbox rule or changed a mailbox in Exchange Online. Guests rarely need either.
# log types: Microsoft365.Audit.Exchange, Microsoft365.Audit.SharePoint (run over the log groups of each; the filter reads alike on every one)
# fidelity: exact
fields @timestamp, Operation, UserId, Workload, ObjectId
| fields if(UserId =~ /[\x0a-\x0d\x85‧-‰]$/, 1, 0) as UserIdMatches
| filter Operation in ["AddedToSecureLink", "AnonymousLinkCreated", "New-InboxRule", "Set-Mailbox", "SharingInvitationCreated"]
| filter UserId like "#EXT#"
| filter UserId =~ /(?i)\.onm(?-i:[Ii])cro(?-i:[Ss])oft\.com$/
| filter UserIdMatches = 0
| filter not (ispresent(UserId)) or not (UserId =~ /^(?:svc-[\s\S]*@[\s\S]*\.onmicrosoft\.com)$/) or UserIdMatches = 1
| sort @timestamp desc
| limit 10000
