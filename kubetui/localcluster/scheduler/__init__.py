"""kube-scheduler: filters (cordon, taints, nodeSelector, resources) and binding."""
