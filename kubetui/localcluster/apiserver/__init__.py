"""kube-apiserver: HTTP routes, authorization, watches and the subresources (logs, exec,
attach, port-forward, binding, eviction, scale)."""
