"""The pods behind `kubectl logs POD | TYPE/NAME | -l SELECTOR`, found as kubectl finds them.

Key decisions: `TYPE/NAME` accepts the kinds kubectl can read logs through (pods, Deployments,
ReplicaSets, StatefulSets, DaemonSets, Jobs, Services, ReplicationControllers) by kubectl's
names and short names, asks the server's discovery whether it serves that resource (a cluster
without batch/v1 has no "job"), and for a workload lists the pods its selector matches and
sorts them by kubectl's `ByLogging` preference: the first is the one read, unless all pods
are asked for. Everything is plain JSON through `requesting.open_get`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from kubetui.kube.listing import list_pods
from kubetui.kube.requesting import open_get, read_json
from kubetui.model.label_selectors import map_selector_text, selector_text
from kubetui.model.log_sources import sort_for_logs

__all__ = ["NotLoggable", "UnknownResourceType", "WaitedTooLong", "Workload", "find_object", "pods_of"]


@dataclass(frozen=True)
class _Kind:
    group: str
    version: str
    plural: str
    go_type: str           # how kubectl names the Go type in "cannot get the logs from *v1.X"
    namespaced: bool = True
    selector: str = ""     # "label": spec.selector is a LabelSelector; "map": a plain map; "": none


_KINDS = [
    (("pod", "pods", "po"), _Kind("", "v1", "pods", "*v1.Pod")),
    (("deployment", "deployments", "deploy"), _Kind("apps", "v1", "deployments", "*v1.Deployment", selector="label")),
    (("replicaset", "replicasets", "rs"), _Kind("apps", "v1", "replicasets", "*v1.ReplicaSet", selector="label")),
    (("statefulset", "statefulsets", "sts"), _Kind("apps", "v1", "statefulsets", "*v1.StatefulSet", selector="label")),
    (("daemonset", "daemonsets", "ds"), _Kind("apps", "v1", "daemonsets", "*v1.DaemonSet", selector="label")),
    (("job", "jobs"), _Kind("batch", "v1", "jobs", "*v1.Job", selector="label")),
    (("service", "services", "svc"), _Kind("", "v1", "services", "*v1.Service", selector="map")),
    (("replicationcontroller", "replicationcontrollers", "rc"),
     _Kind("", "v1", "replicationcontrollers", "*v1.ReplicationController", selector="map")),
    (("configmap", "configmaps", "cm"), _Kind("", "v1", "configmaps", "*v1.ConfigMap")),
    (("secret", "secrets"), _Kind("", "v1", "secrets", "*v1.Secret")),
    (("node", "nodes", "no"), _Kind("", "v1", "nodes", "*v1.Node", namespaced=False)),
    (("namespace", "namespaces", "ns"), _Kind("", "v1", "namespaces", "*v1.Namespace", namespaced=False)),
]
_BY_NAME = {name: kind for names, kind in _KINDS for name in names}
_BY_NAME.update({f"{kind.plural}.{kind.group}": kind for _, kind in _KINDS if kind.group})
_BY_NAME.update({f"{names[0]}.{kind.group}": kind for names, kind in _KINDS if kind.group})


class UnknownResourceType(Exception):
    """kubectl: the server doesn't have a resource type "X"."""

    def __init__(self, name: str) -> None:
        super().__init__(f'the server doesn\'t have a resource type "{name}"')


class NotLoggable(Exception):
    def __init__(self, go_type: str) -> None:
        super().__init__(f"cannot get the logs from {go_type}: selector for {go_type} not implemented")


class WaitedTooLong(Exception):
    def __init__(self) -> None:
        super().__init__("timed out waiting for the condition")


@dataclass
class Workload:
    """What `TYPE/NAME` named: a pod, or an object whose pods are read (`pod_selector()`)."""

    obj: dict
    is_pod: bool
    kind: _Kind

    def pod_selector(self) -> str:
        """The label selector of its pods; NotLoggable/ValueError for what has none."""
        spec = self.obj.get("spec") or {}
        if self.kind.selector == "label":
            return selector_text(spec.get("selector"))
        if self.kind.selector == "map":
            if not spec.get("selector"):
                name = (self.obj.get("metadata") or {}).get("name", "")
                raise ValueError(f"cannot get the logs from {self.kind.go_type}: invalid service '{name}': "
                                 "Service is defined without a selector")
            return map_selector_text(spec.get("selector"))
        raise NotLoggable(self.kind.go_type)


def _base(kind: _Kind) -> str:
    return f"/api/{kind.version}" if not kind.group else f"/apis/{kind.group}/{kind.version}"


def find_object(api_client: Any, namespace: str, argument: str) -> Workload:
    """GET what `argument` (`NAME` for a pod, or `TYPE/NAME`) names.

    Raises UnknownResourceType, or the ApiException of the GET."""
    type_name, _, name = argument.rpartition("/")
    kind = _BY_NAME.get(type_name.lower() or "pods")
    if kind is None:
        raise UnknownResourceType(type_name)
    if type_name and kind.plural != "pods" and not _served(api_client, kind):
        raise UnknownResourceType(type_name)
    where = f"/namespaces/{namespace}" if kind.namespaced else ""
    obj = read_json(open_get(api_client, f"{_base(kind)}{where}/{kind.plural}/{name}", timeout=(10.0, 60.0)))
    return Workload(obj, kind.plural == "pods", kind)


def _served(api_client: Any, kind: _Kind) -> bool:
    try:
        resources = read_json(open_get(api_client, _base(kind), timeout=(10.0, 30.0)))
    except Exception as exc:
        if getattr(exc, "status", None) == 404:
            return False
        raise
    return any(r.get("name") == kind.plural for r in (resources or {}).get("resources") or [])


def pods_of(api_client: Any, namespace: str, selector: str, *, wait_seconds: float = 20.0) -> list[dict]:
    """The pods a workload's selector matches, the best to read first (kubectl's GetPodList:
    it waits up to `wait_seconds` for one to appear)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        pods, _ = list_pods(api_client, namespace, label_selector=selector)
        if pods:
            return sort_for_logs(pods)
        if time.monotonic() >= deadline:
            raise WaitedTooLong()
        time.sleep(0.5)  # kubectl watches; a short poll keeps this module simple
