# Panther rule Sample.Databricks.SecretScopeDeleted (rules/databricks/databricks_secret_scope_deleted.yml + rules/databricks/databricks_secret_scope_deleted.py)
# Sample: Databricks Secret Scope Deleted
# A secret scope or one of its secrets was deleted in a Databricks workspace.
# fidelity: exact
fields @timestamp, actionName, sourceIPAddress
| filter actionName in ["deleteScope", "deleteSecret"]
| filter response.statusCode = 200
| filter serviceName = "secrets"
| sort @timestamp desc
| limit 10000
