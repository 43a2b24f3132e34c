# Panther rule Sample.Notion.PublicPageIndexed (rules/notion/notion_public_page_indexed.yml + rules/notion/notion_public_page_indexed.py)
# Sample: Notion Page Shared to the Web with Search Indexing
# A person shared a Notion page to the web with search-engine indexing turned on. (The mappings name no Google SecOps parser for Notion: the YARA-L rule reads a custom log type.)
# fidelity: exact
fields @timestamp, event.actor.person.email, `event.details.target.page_id`, event.details
| filter event.actor.type = "person"
| filter `event.details.allow_search_engine_indexing` = 1
| filter event.type = "page.permissions.shared_to_web"
| sort @timestamp desc
| limit 10000
