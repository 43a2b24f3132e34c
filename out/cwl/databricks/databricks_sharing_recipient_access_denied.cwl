# Panther rule Sample.Databricks.SharingRecipientAccessDenied (rules/databricks/databricks_sharing_recipient_access_denied.yml + rules/databricks/databricks_sharing_recipient_access_denied.py)
# Sample: Databricks Share Read Denied
# A Delta Sharing read was denied (HTTP 401 or 403). The service names one table is keyed by (unityCatalog) and one no table is keyed by (deltaSharingAccess): the KQL query reads the DatabricksUnityCatalog table and the tables without a category.
# fidelity: exact
fields @timestamp
| filter actionName =~ /^deltaSharing/
| filter response.statusCode in [401, 403]
| filter serviceName in ["deltaSharingAccess", "unityCatalog"]
| sort @timestamp desc
| limit 10000
