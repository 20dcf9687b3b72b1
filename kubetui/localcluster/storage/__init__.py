"""The store (etcd and the registry's write path): objects, resource versions, the change log
that watches read, deletion and events."""
