# Panther rule Sample.Azure.AKS.RoleGrantsSecretRead (rules/kubernetes/aks_role_grants_secret_read.yml + rules/kubernetes/aks_role_grants_secret_read.py)
# Sample: AKS Role Grants Secret Read
# A Role or ClusterRole was created on an AKS cluster with a rule that allows `get` on `secrets`.
# fidelity: exact
fields @timestamp, jsonParse(properties.log) as jsonLog
| unnest jsonLog.requestObject.rules into rulesItem
| unnest rulesItem.resources into resourcesItem
| unnest rulesItem.verbs into verbsItem
| filter category in ["kube-audit", "kube-audit-admin"]
| filter jsonLog.verb = "create"
| filter jsonLog.objectRef.resource in ["clusterroles", "roles"]
| filter resourcesItem = "secrets"
| filter verbsItem = "get"
| sort @timestamp desc
| limit 10000
