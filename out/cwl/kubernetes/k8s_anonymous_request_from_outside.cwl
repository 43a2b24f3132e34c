# Panther rule Sample.Kubernetes.AnonymousRequestFromOutsideCluster (rules/kubernetes/k8s_anonymous_request_from_outside.yml + rules/kubernetes/k8s_anonymous_request_from_outside.py)
# Sample: Anonymous Kubernetes API Request Allowed From Outside the Cluster
# The API server authorized a request from system:anonymous whose source address is neither loopback nor in the cluster's 10.0.0.0/8 network, to a path other than the health and version endpoints. A RoleBinding to system:anonymous or system:unauthenticated exposes the cluster.
# fidelity: approximate
# target-quantifier: cwl: any()/all() over a list is not expressed in Logs Insights; replaced by its superset
fields @timestamp, requestURI, verb, sourceIPs, userAgent, `annotations.authorization.k8s.io/reason`
| filter `annotations.authorization.k8s.io/decision` = "allow"
| filter user.username = "system:anonymous"
| filter not (ispresent(requestURI)) or not (requestURI in ["/healthz", "/livez", "/readyz", "/version"])
| sort @timestamp desc
| limit 10000
