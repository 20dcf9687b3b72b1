"""The DaemonSet controller: one pod of `spec.template` on every node that should run it.

Key decisions: as the real controller does, it does not place pods itself: each pod gets a
required node affinity for its node's name (matchFields metadata.name) and the default scheduler
binds it. The pods tolerate what DaemonSet pods always tolerate (not-ready, unreachable,
disk/memory/pid pressure, unschedulable), so a cordon or a drain with --ignore-daemonsets
leaves them where they are. A node should run the pod when the template's node selector and
affinity match it and its NoSchedule/NoExecute taints are tolerated. A template change
replaces outdated pods one at a time (maxUnavailable 1, the default); failed pods are replaced.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import random

from kubetui.localcluster.controllers import podstate
from kubetui.localcluster.controllers.naming import (
    controller_reference, is_terminating, owner_reference, pod_template_hash, random_suffix)
from kubetui.localcluster.controllers.ownership import ControllerIndex
from kubetui.localcluster.controllers.workqueue import ReconcileQueue
from kubetui.localcluster.storage.events import NORMAL, WARNING, EventRecorder, object_reference
from kubetui.localcluster.scheduler.filters import matches_node_affinity, tolerates

log = logging.getLogger(__name__)
MANAGER = "daemonset-controller"
GENERATION_LABEL = "pod-template-generation"
REVISION_LABEL = "controller-revision-hash"
DAEMON_TOLERATIONS = (
    ("node.kubernetes.io/not-ready", "NoExecute"), ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"), ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"), ("node.kubernetes.io/unschedulable", "NoSchedule"),
)


def daemon_pod_spec(template_spec: dict, node: str) -> dict:
    """The template's pod spec bound to `node` by affinity, with the DaemonSet tolerations."""
    spec = copy.deepcopy(template_spec)
    tolerations = list(spec.get("tolerations") or [])
    wanted = list(DAEMON_TOLERATIONS)
    if spec.get("hostNetwork"):
        wanted.append(("node.kubernetes.io/network-unavailable", "NoSchedule"))
    for key, effect in wanted:
        if not any(t.get("key") == key and t.get("effect") == effect for t in tolerations):
            tolerations.append({"key": key, "operator": "Exists", "effect": effect})
    spec["tolerations"] = tolerations
    node_affinity = spec.setdefault("affinity", {}).setdefault("nodeAffinity", {})
    node_affinity["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": [
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}
    return spec


def should_run(template_spec: dict, node: dict) -> bool:
    """nodeShouldRunDaemonPod: selector and affinity match, blocking taints tolerated."""
    if not matches_node_affinity(template_spec, node):
        return False
    tolerations = daemon_pod_spec(template_spec, "")["tolerations"]
    return all(tolerates(tolerations, taint) for taint in (node.get("spec") or {}).get("taints") or []
               if taint.get("effect") in ("NoSchedule", "NoExecute"))


def _pod_node(pod: dict) -> str:
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return spec["nodeName"]
    terms = ((((spec.get("affinity") or {}).get("nodeAffinity") or {})
              .get("requiredDuringSchedulingIgnoredDuringExecution") or {}).get("nodeSelectorTerms") or [])
    for term in terms:
        for field in term.get("matchFields") or []:
            if field.get("key") == "metadata.name" and field.get("values"):
                return field["values"][0]
    return ""


class DaemonSetController:
    def __init__(self, store, loop: asyncio.AbstractEventLoop, *,
                 recorder: EventRecorder | None = None, rng: random.Random | None = None) -> None:
        self._store = store
        self._recorder = recorder
        self._rng = rng
        self._pods = ControllerIndex(store, "pods")
        self.queue = ReconcileQueue(loop, self.reconcile, MANAGER)

    def start(self) -> None:
        self._pods.start()
        self._store.add_listener(self.on_event)
        self._queue_all()

    def stop(self) -> None:
        self.queue.stop()
        self._pods.stop()
        self._store.remove_listener(self.on_event)

    def _queue_all(self) -> None:
        for ds in self._store.list("daemonsets")[0]:
            self.queue.add((ds["metadata"].get("namespace"), ds["metadata"]["name"]))

    def on_event(self, event_type: str, plural: str, obj: dict) -> None:
        if plural == "daemonsets":
            self.queue.add((obj["metadata"].get("namespace"), obj["metadata"]["name"]))
        elif plural == "nodes":
            self._queue_all()
        elif plural == "pods":
            ref = controller_reference(obj)
            if ref is not None and ref.get("kind") == "DaemonSet":
                self.queue.add((obj["metadata"].get("namespace"), ref.get("name")))

    def reconcile(self, key: tuple[str, str]) -> float | None:
        ds = self._store.get("daemonsets", *key)
        if ds is None or is_terminating(ds):
            return None
        template = ds["spec"].get("template") or {}
        template_spec = template.get("spec") or {}
        generation = str(ds["metadata"].get("generation", 1))
        nodes = {node["metadata"]["name"]: node for node in self._store.list("nodes")[0]}
        by_node: dict[str, list[dict]] = {}  # terminating pods included: a node holds one at a time
        for pod in self._pods.controlled_by(ds):
            by_node.setdefault(_pod_node(pod), []).append(pod)
        wanted = {name for name, node in nodes.items() if should_run(template_spec, node)}
        for name, pods in by_node.items():
            alive = [p for p in pods if not is_terminating(p)]
            healthy = [p for p in alive if (p.get("status") or {}).get("phase") != "Failed"]
            keep = healthy[:1] if name in wanted else []
            for pod in alive:
                if pod not in keep:
                    self._delete(ds, pod)
        for name in sorted(wanted):
            if not by_node.get(name):  # a pod still terminating there must go first
                self._create(ds, name, generation)
        self._roll(ds, {name: [p for p in pods if not is_terminating(p)] for name, pods in by_node.items()},
                   wanted, generation)
        self._write_status(key, wanted)
        return None

    def _roll(self, ds: dict, by_node: dict[str, list[dict]], wanted: set[str], generation: str) -> None:
        """RollingUpdate with maxUnavailable 1: replace one outdated pod while all others are ready."""
        if ((ds["spec"].get("updateStrategy") or {}).get("type") or "RollingUpdate") != "RollingUpdate":
            return
        current = [p for name in sorted(wanted) for p in by_node.get(name, [])[:1]]
        if any(not podstate.is_ready(p) for p in current) or len(current) < len(wanted):
            return
        outdated = [p for p in current if (p["metadata"].get("labels") or {}).get(GENERATION_LABEL) != generation]
        if outdated:
            self._delete(ds, outdated[0])

    def _create(self, ds: dict, node: str, generation: str) -> None:
        meta, template = ds["metadata"], ds["spec"].get("template") or {}
        labels = dict((template.get("metadata") or {}).get("labels") or {})
        labels.update({REVISION_LABEL: pod_template_hash(template), GENERATION_LABEL: generation})
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": f"{meta['name']}-{random_suffix(rng=self._rng)}",
                            "generateName": f"{meta['name']}-", "namespace": meta.get("namespace"),
                            "labels": labels,
                            "ownerReferences": [owner_reference(ds, api_version="apps/v1", kind="DaemonSet")]},
               "spec": daemon_pod_spec(template.get("spec") or {}, node)}
        annotations = (template.get("metadata") or {}).get("annotations")
        if annotations:
            pod["metadata"]["annotations"] = dict(annotations)
        try:
            self._store.create("pods", pod, manager=MANAGER)
        except Exception as error:  # an invalid template: reported on the DaemonSet
            self._event(ds, WARNING, "FailedCreate", f"Error creating: {error}")
            return
        self._event(ds, NORMAL, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}")

    def _delete(self, ds: dict, pod: dict) -> None:
        meta = pod["metadata"]
        try:
            self._store.delete("pods", meta.get("namespace"), meta["name"])
        except Exception as error:  # already gone
            log.debug("could not delete pod %s: %s", meta["name"], error)
            return
        self._event(ds, NORMAL, "SuccessfulDelete", f"Deleted pod: {meta['name']}")

    def _event(self, ds: dict, event_type: str, reason: str, message: str) -> None:
        if self._recorder is not None:
            self._recorder.legacy_event(object_reference(ds), event_type, reason, message, component=MANAGER)

    def _write_status(self, key: tuple[str, str], wanted: set[str]) -> None:
        ds = self._store.get("daemonsets", *key)
        if ds is None:
            return
        generation = str(ds["metadata"].get("generation", 1))
        on_node: dict[str, dict] = {}
        misscheduled = set()
        for pod in self._pods.controlled_by(ds):
            if not podstate.is_active(pod):
                continue
            node = _pod_node(pod)
            if node in wanted:
                on_node.setdefault(node, pod)
            else:
                misscheduled.add(node)
        ready = sum(1 for pod in on_node.values() if podstate.is_ready(pod))
        updated = sum(1 for pod in on_node.values()
                      if (pod["metadata"].get("labels") or {}).get(GENERATION_LABEL) == generation)
        status: dict = {"currentNumberScheduled": len(on_node), "desiredNumberScheduled": len(wanted),
                        "numberMisscheduled": len(misscheduled), "numberReady": ready}
        if ready:
            status["numberAvailable"] = ready
        if len(wanted) > ready:
            status["numberUnavailable"] = len(wanted) - ready
        status["observedGeneration"] = ds["metadata"].get("generation", 1)
        if updated:
            status["updatedNumberScheduled"] = updated
        if status != (ds.get("status") or {}):
            self._store.write_status("daemonsets", ds, status, manager=MANAGER)
