"""What a cordon sets off besides the scheduler's NodeUnschedulable filter.

The node lifecycle controller (TaintNodesByCondition) keeps the
`node.kubernetes.io/unschedulable:NoSchedule` taint in line with `spec.unschedulable`, so
`kubectl describe node` lists it under Taints; the node's kubelet reports the change as a
`NodeNotSchedulable` / `NodeSchedulable` event. Key decision: a store listener, reacting only
when the flag and the taint disagree, so its own write settles it.
"""

from __future__ import annotations

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.apimachinery.clock import rfc3339
from kubetui.localcluster.storage.events import NORMAL, EventRecorder
from kubetui.localcluster.apimachinery.objectmeta import json_copy
from kubetui.localcluster.scheduler.filters import UNSCHEDULABLE_TAINT


class NodeLifecycle:
    def __init__(self, store, recorder: EventRecorder, kubelet_nodes: frozenset[str]) -> None:
        self.store = store
        self.recorder = recorder
        self.kubelet_nodes = kubelet_nodes
        self._reported: dict[str, bool] = {}  # node -> unschedulable, as its kubelet last said

    def start(self) -> None:
        self.store.add_listener(self._on_change)
        for node in self.store.list("nodes")[0]:
            self._reported[node["metadata"]["name"]] = bool((node.get("spec") or {}).get("unschedulable"))
            self._reconcile(node)

    def stop(self) -> None:
        self.store.remove_listener(self._on_change)

    def _on_change(self, event_type: str, plural: str, obj: dict) -> None:
        if plural == "nodes" and event_type != "DELETED":
            self._report(obj)
            self._reconcile(obj)

    def _report(self, node: dict) -> None:
        name = node["metadata"]["name"]
        cordoned = bool((node.get("spec") or {}).get("unschedulable"))
        if self._reported.get(name, False) == cordoned:
            return
        self._reported[name] = cordoned
        if name in self.kubelet_nodes:
            status = "NodeNotSchedulable" if cordoned else "NodeSchedulable"
            self.recorder.node_event(name, NORMAL, status, f"Node {name} status is now: {status}",
                                     host=name)

    def _reconcile(self, node: dict) -> None:
        spec = node.get("spec") or {}
        taints = [t for t in spec.get("taints") or [] if isinstance(t, dict)]
        tainted = any(t.get("key") == UNSCHEDULABLE_TAINT and t.get("effect") == "NoSchedule"
                      for t in taints)
        cordoned = bool(spec.get("unschedulable"))
        if tainted == cordoned:
            return
        if cordoned:
            taints.append({"key": UNSCHEDULABLE_TAINT, "effect": "NoSchedule",
                           "timeAdded": rfc3339(self.store.clock())})
        else:
            taints = [t for t in taints if t.get("key") != UNSCHEDULABLE_TAINT]
        updated = json_copy(node)
        if taints:
            updated["spec"]["taints"] = taints
        else:
            updated.setdefault("spec", {}).pop("taints", None)
        try:
            self.store.update("nodes", updated, manager="kube-controller-manager")
        except errors.ApiError:  # changed again meanwhile: that change brings us back here
            pass
