"""The part of a pod the dashboard needs: what `pod_row` reads, plus labels for `-l` filters.

Key decision: a 10,000-pod list is ~45 MB of JSON and ~200 MB of dicts; the table needs about a
third of it (no env, volumes, resources, probes, managedFields or long annotations). Projecting
each page of a list as it is parsed keeps the peak, and so the resident size, low.
"""

from __future__ import annotations

_METADATA_KEEP = ("name", "namespace", "uid", "resourceVersion", "labels", "creationTimestamp",
                  "deletionTimestamp", "deletionGracePeriodSeconds", "generateName", "ownerReferences")
_DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"


def display_fields(pod: dict) -> dict:
    """A copy of `pod` with only the fields the pod table and its pickers read."""
    metadata = pod.get("metadata") or {}
    slim_metadata = {key: metadata[key] for key in _METADATA_KEEP if key in metadata}
    annotations = metadata.get("annotations") or {}
    if _DEFAULT_CONTAINER in annotations:
        slim_metadata["annotations"] = {_DEFAULT_CONTAINER: annotations[_DEFAULT_CONTAINER]}
    spec = pod.get("spec") or {}
    slim_spec = {
        "containers": [_container(c) for c in spec.get("containers") or ()],
    }
    if spec.get("initContainers"):
        slim_spec["initContainers"] = [_container(c) for c in spec["initContainers"]]
    for key in ("nodeName", "readinessGates", "hostNetwork"):
        if key in spec:
            slim_spec[key] = spec[key]
    slim = {"metadata": slim_metadata, "spec": slim_spec, "status": pod.get("status") or {}}
    for key in ("kind", "apiVersion"):
        if key in pod:
            slim[key] = pod[key]
    return slim


def _container(container: dict) -> dict:
    slim = {"name": container.get("name"), "image": container.get("image")}
    if "restartPolicy" in container:
        slim["restartPolicy"] = container["restartPolicy"]
    return slim
