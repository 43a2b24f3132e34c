# Panther rule Sample.Notion.WorkspaceExportByGuest (rules/notion/notion_workspace_export_by_guest.yml + rules/notion/notion_workspace_export_by_guest.py)
# Sample: Notion Workspace Exported By A Non-Member
# A Notion workspace export was started by a person who is not a workspace member or owner.
# fidelity: exact
fields @timestamp
| filter event.actor.type = "person"
| filter event.type = "workspace.content_exported"
| filter not (ispresent(`event.actor.workspace_role`)) or not (`event.actor.workspace_role` in ["member", "owner"])
| sort @timestamp desc
| limit 10000
