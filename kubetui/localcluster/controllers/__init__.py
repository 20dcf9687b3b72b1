"""The controllers of the local cluster: ReplicaSet, Deployment, DaemonSet, garbage collector,
service accounts and the root CA, endpoints, Jobs and CronJobs, started together by
`manager.start_controllers`.

Key decision: this package file imports nothing, so reading one controller's pure parts (naming,
rollout) does not load every controller.
"""
