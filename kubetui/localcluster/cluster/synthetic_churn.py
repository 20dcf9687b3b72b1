"""Churn on the synthetic pods: R status changes per second, plus their deletions.

Key decisions:
* A ticker on the loop accumulates `rate × elapsed` and spends it in whole changes, so the
  average rate holds whatever the tick jitter, and a long pause is not made up in one burst.
* Changes are what a kubelet reports (readiness flips, restarts with a terminated lastState,
  crash loops and recoveries, Pending → Running) written through the `status` subresource, so
  watchers see MODIFIED events; about one change in 25 deletes a pod and creates a fresh Pending
  one instead, so ADDED and DELETED flow too. A pod owned by a ReplicaSet is replaced by a
  sibling from the same template and owner, so the controllers see the count they want.
* No kubelet runs the synthetic nodes, so this module also plays that part for deletions: a
  synthetic pod that gets a deletionTimestamp (kubectl delete) is finalized a moment later.
"""

from __future__ import annotations

import asyncio
import logging
import random

from kubetui.localcluster.apimachinery.clock import rfc3339
from kubetui.localcluster.apimachinery.objectmeta import json_copy
from kubetui.localcluster.cluster.synthetic import (
    NODE_COUNT,
    SYNTHETIC_NODE_PREFIX,
    create_synthetic_pod,
    is_synthetic,
    node_index,
    pending_status,
    running_status,
    safe_text,
    synthetic_pod,
)

log = logging.getLogger(__name__)

TICK_SECONDS = 0.05
REPLACE_SHARE = 0.04
FINALIZE_AFTER_SECONDS = 1.0
_EXITS = ((137, "OOMKilled"), (1, "Error"), (143, "Error"), (2, "Error"))


class SyntheticChurn:
    def __init__(self, store, rate: float, *, seed: int = 0) -> None:
        self._store = store
        self.rate = max(float(rate), 0.0)
        self._rng = random.Random(f"churn-{seed}")
        self._keys: list[tuple[str, str]] = []
        self._task: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._finalizing: set[tuple[str, str]] = set()
        self.changes_made = 0

    def start(self) -> None:
        """Call on the loop, after the synthetic pods are loaded."""
        self._keys = [(pod["metadata"]["namespace"], pod["metadata"]["name"])
                      for pod in self._store.scan("pods") if is_synthetic(pod)]
        self._loop = asyncio.get_running_loop()
        self._store.add_listener(self._on_event)
        if self.rate > 0:
            self._task = self._loop.create_task(self._run())

    async def stop(self) -> None:
        self._store.remove_listener(self._on_event)
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    def _on_event(self, event_type: str, plural: str, obj: dict) -> None:
        if plural != "pods" or event_type == "DELETED" or not is_synthetic(obj):
            return
        meta = obj["metadata"]
        key = (meta["namespace"], meta["name"])
        if meta.get("deletionTimestamp") and key not in self._finalizing:
            self._finalizing.add(key)
            self._loop.call_later(FINALIZE_AFTER_SECONDS, self._finalize, key)

    def _finalize(self, key: tuple[str, str]) -> None:
        self._finalizing.discard(key)
        self._store.finalize_delete("pods", *key)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        budget = 0.0
        while True:
            await asyncio.sleep(TICK_SECONDS)
            now = loop.time()
            # At most one second's worth after a pause: churn is a rate, not a backlog.
            budget = min(budget + (now - last) * self.rate, max(self.rate, 1.0))
            last = now
            while budget >= 1.0:
                budget -= 1.0
                try:
                    self.step()
                except Exception:  # one bad change must not end the churn
                    log.exception("synthetic churn step failed")

    def step(self) -> None:
        """Make one change to one random synthetic pod."""
        while self._keys:
            index = self._rng.randrange(len(self._keys))
            pod = self._store.get("pods", *self._keys[index])
            if pod is not None and not pod["metadata"].get("deletionTimestamp"):
                break
            self._keys[index] = self._keys[-1]  # gone (deleted by a user): forget it
            self._keys.pop()
        else:
            return
        self.changes_made += 1
        if self._rng.random() < REPLACE_SHARE:
            self._keys[index] = self._replace(pod)
            return
        status = changed_status(self._rng, pod, rfc3339(self._store.clock()))
        updated = dict(pod)
        updated["metadata"] = dict(pod["metadata"])
        updated["status"] = status
        self._store.update("pods", updated, subresource="status", manager="kubelet")

    def _replace(self, pod: dict) -> tuple[str, str]:
        meta = pod["metadata"]
        self._store.delete("pods", meta["namespace"], meta["name"], grace_period_seconds=0)
        now = rfc3339(self._store.clock())
        if meta.get("ownerReferences"):
            def build() -> dict:
                return _sibling(self._rng, pod)
        else:
            def build() -> dict:
                return synthetic_pod(self._rng, meta["namespace"], now)
        fresh = build()
        while self._store.get("pods", meta["namespace"], fresh["metadata"]["name"]) is not None:
            fresh = build()
        fresh["status"] = pending_status(fresh["spec"]["containers"], node_index(fresh), now)
        create_synthetic_pod(self._store, fresh)
        return meta["namespace"], fresh["metadata"]["name"]


def _sibling(rng: random.Random, pod: dict) -> dict:
    """A new pod of the same owner (a ReplicaSet's replacement): same template, labels and owner
    reference, a new name suffix and node. Its owner then counts the same number of pods, so its
    controller has no pod to create or delete."""
    meta = pod["metadata"]
    prefix = meta.get("generateName") or f"{meta['name']}-"
    node = rng.randrange(NODE_COUNT)
    spec = json_copy(pod["spec"])
    spec["nodeName"] = f"{SYNTHETIC_NODE_PREFIX}{node}"
    fresh_meta = {key: json_copy(meta[key]) for key in ("labels", "annotations", "ownerReferences") if key in meta}
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": prefix + safe_text(rng, 5), "generateName": prefix,
                         "namespace": meta["namespace"],
                         **fresh_meta},
            "spec": spec}


def changed_status(rng: random.Random, pod: dict, now: str) -> dict:
    """The pod's status after one kubelet-like change."""
    containers = pod["spec"]["containers"]
    if (pod.get("status") or {}).get("phase") == "Pending":
        return running_status(rng, containers, node_index(pod), now)
    status = json_copy(pod.get("status") or {})
    statuses = status.get("containerStatuses") or []
    if not statuses:
        return running_status(rng, containers, node_index(pod), now)
    container = rng.choice(statuses)
    roll = rng.random()
    if "waiting" in (container.get("state") or {}):
        _run_again(container, now, ready=True)
    elif roll < 0.45:
        container["ready"] = not container.get("ready")
    elif roll < 0.8:
        _terminate(rng, container, now)
        _run_again(container, now, ready=False)
    else:
        _terminate(rng, container, now)
        container["ready"] = container["started"] = False
        container["state"] = {"waiting": {
            "reason": "CrashLoopBackOff",
            "message": f"back-off 10s restarting failed container={container['name']} "
                       f"pod={pod['metadata']['name']}_{pod['metadata']['namespace']}"
                       f"({pod['metadata'].get('uid', '')})"}}
    _sync_readiness(status, now)
    return status


def _terminate(rng: random.Random, container: dict, now: str) -> None:
    exit_code, reason = rng.choice(_EXITS)
    started = ((container.get("state") or {}).get("running") or {}).get("startedAt", now)
    container["lastState"] = {"terminated": {
        "exitCode": exit_code, "reason": reason, "startedAt": started, "finishedAt": now,
        "containerID": container.get("containerID", "")}}
    container["restartCount"] = int(container.get("restartCount") or 0) + 1


def _run_again(container: dict, now: str, *, ready: bool) -> None:
    container["state"] = {"running": {"startedAt": now}}
    container["started"] = True
    container["ready"] = ready


def _sync_readiness(status: dict, now: str) -> None:
    """Ready/ContainersReady follow the containers, with a new transition time on change."""
    statuses = status.get("containerStatuses") or []
    unready = [c["name"] for c in statuses if not c.get("ready")]
    for condition in status.get("conditions") or []:
        if condition.get("type") not in ("Ready", "ContainersReady"):
            continue
        wanted = "False" if unready else "True"
        if condition.get("status") != wanted:
            condition["status"] = wanted
            condition["lastTransitionTime"] = now
        if unready:
            condition["reason"] = "ContainersNotReady"
            condition["message"] = f"containers with unready status: [{' '.join(unready)}]"
        else:
            condition.pop("reason", None)
            condition.pop("message", None)
