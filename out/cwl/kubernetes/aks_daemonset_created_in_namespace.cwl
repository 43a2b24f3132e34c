# Panther rule Sample.Azure.AKS.DaemonSetCreatedInNamespace (rules/kubernetes/aks_daemonset_created_in_namespace.yml + rules/kubernetes/aks_daemonset_created_in_namespace.py)
# Sample: AKS DaemonSet Created in a Namespace
# A DaemonSet was created in a namespace of an AKS cluster, and the API server did not refuse the request.
# fidelity: exact
fields @timestamp, jsonParse(properties.log) as jsonLog
| fields if(properties.requestURI =~ /[\x0a-\x0d\x85‧-‰]$/, 1, 0) as RequestURIMatches
| filter category in ["kube-audit", "kube-audit-admin"]
| filter properties.requestURI =~ /^[^\x2f]*\x2f[^\x2f]*\x2f[^\x2f]*\x2f[^\x2f]*\x2f[^\x2f]*\x2f[^\x2f]*\x2f/
| filter jsonLog.verb = "create"
| filter not (properties.requestURI =~ /^(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)\x2f/)
| filter not (properties.requestURI =~ /^(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)$/) or RequestURIMatches = 1
| filter properties.requestURI =~ /^(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)daemonsets\x2f/ or (properties.requestURI =~ /^(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)(?:[^\x2f]*\x2f)daemonsets$/ and RequestURIMatches = 0)
| filter not (jsonLog.responseStatus.code >= 400) or not (ispresent(jsonLog.responseStatus.code))
| sort @timestamp desc
| limit 10000
