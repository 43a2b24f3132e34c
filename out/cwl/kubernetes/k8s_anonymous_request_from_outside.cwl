# Panther rule Sample.Kubernetes.AnonymousRequestFromOutsideCluster (rules/kubernetes/k8s_anonymous_request_from_outside.yml + rules/kubernetes/k8s_anonymous_request_from_outside.py)
# Sample: Anonymous Kubernetes API Request Allowed From Outside the Cluster
# The API server authorized a request from system:anonymous whose source address is neither loopback nor in the cluster's 10.0.0.0/8 network, to a path other than the health and version endpoints. A RoleBinding to system:anonymous or system:unauthenticated exposes the cluster.
# fidelity: exact
fields @timestamp, requestURI, verb, sourceIPs, userAgent, `annotations.authorization.k8s.io/reason`, jsonParse(@message) as jsonMessage
| unnest jsonMessage.sourceIPs into sourceIPsItem
| fields if(sourceIPsItem =~ /[\x0a-\x0d\x85‧-‰]$/, 1, 0) as SourceIPsItemMatches
| filter `annotations.authorization.k8s.io/decision` = "allow"
| filter user.username = "system:anonymous"
| filter sourceIPsItem =~ /^(?:(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}|(?:(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|(?:[0-9a-fA-F]{1,4}:){1,7}:|(?:[0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|(?:[0-9a-fA-F]{1,4}:){1,5}(?::[0-9a-fA-F]{1,4}){1,2}|(?:[0-9a-fA-F]{1,4}:){1,4}(?::[0-9a-fA-F]{1,4}){1,3}|(?:[0-9a-fA-F]{1,4}:){1,3}(?::[0-9a-fA-F]{1,4}){1,4}|(?:[0-9a-fA-F]{1,4}:){1,2}(?::[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:(?::[0-9a-fA-F]{1,4}){1,6}|:(?:(?::[0-9a-fA-F]{1,4}){1,7}|:)|(?:[0-9a-fA-F]{1,4}:){6}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}|::(?:[0-9a-fA-F]{1,4}:){0,5}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}|(?:[0-9a-fA-F]{1,4}:){1}:(?:[0-9a-fA-F]{1,4}:){0,4}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}|(?:[0-9a-fA-F]{1,4}:){2}:(?:[0-9a-fA-F]{1,4}:){0,3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}|(?:[0-9a-fA-F]{1,4}:){3}:(?:[0-9a-fA-F]{1,4}:){0,2}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}|(?:[0-9a-fA-F]{1,4}:){4}:(?:[0-9a-fA-F]{1,4}:)?(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}|(?:[0-9a-fA-F]{1,4}:){5}:(?:[0-9a-fA-F]{1,4}:){0}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3})))$/
| filter SourceIPsItemMatches = 0
| filter SourceIPsItemMatches = 1 or (not (isIpInSubnet(sourceIPsItem, "10.0.0.0/8")) and not (isIpInSubnet(sourceIPsItem, "127.0.0.0/8")) and not (isIpInSubnet(sourceIPsItem, "::1/128")))
| filter not (ispresent(requestURI)) or not (requestURI in ["/healthz", "/livez", "/readyz", "/version"])
| sort @timestamp desc
| limit 10000
