"""The kubelet and what it keeps per node: pod workers, container starts and statuses, logs,
exec and port-forward targets, the node Lease."""
