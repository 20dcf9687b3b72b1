"""The ReplicaSet controller: keeps `spec.replicas` live pods stamped from `spec.template`.

Key decision: event-driven and level-triggered. Any change to a ReplicaSet or to a pod it
controls marks that ReplicaSet in a coalescing queue; one reconcile then compares the live pods
with the desired count and writes pods and status straight into the store. The store is
synchronous, so a pod created here is visible to the next reconcile at once and the client-go
"expectations" bookkeeping is not needed.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import random
from datetime import datetime

from kubetui.localcluster.apimachinery.clock import Clock, rfc3339, utc_now
from kubetui.localcluster.controllers import podstate
from kubetui.localcluster.controllers.naming import (
    controller_reference, is_controlled_by, is_terminating, owner_reference, random_suffix,
    selects_something, with_controller)
from kubetui.localcluster.controllers.ownership import ControllerIndex
from kubetui.localcluster.controllers.workqueue import ReconcileQueue
from kubetui.localcluster.storage.events import NORMAL, WARNING, EventRecorder, object_reference
from kubetui.model.label_selectors import selector_from_spec

log = logging.getLogger(__name__)

MANAGER = "replicaset-controller"
_NAME_ATTEMPTS = 5


class ReplicaSetController:
    def __init__(self, store, loop: asyncio.AbstractEventLoop, *,
                 now: Clock = utc_now, rng: random.Random | None = None,
                 recorder: EventRecorder | None = None) -> None:
        self._store = store
        self._now = now
        self._recorder = recorder
        self._rng = rng
        self._pods = ControllerIndex(store, "pods")
        self.queue = ReconcileQueue(loop, self.reconcile, "replicaset-controller")

    def start(self) -> None:
        self._pods.start()
        self._store.add_listener(self.on_event)
        items, _ = self._store.list("replicasets")
        for rs in items:
            self.queue.add(_key(rs))

    def stop(self) -> None:
        self.queue.stop()
        self._pods.stop()

    def on_event(self, event_type: str, plural: str, obj: dict) -> None:
        if plural == "replicasets":
            self.queue.add(_key(obj))
        elif plural == "pods":
            ref = controller_reference(obj)
            if ref is None:
                # An orphan may match a selector and be adopted.
                if event_type != "DELETED" and (obj["metadata"].get("labels")):
                    self._queue_selecting(obj)
            elif ref.get("kind") == "ReplicaSet":
                self.queue.add((obj["metadata"].get("namespace"), ref.get("name")))

    def _queue_selecting(self, pod: dict) -> None:
        namespace = pod["metadata"].get("namespace")
        items, _ = self._store.list("replicasets", namespace)
        labels = pod["metadata"].get("labels") or {}
        for rs in items:
            if _selector(rs).matches(labels):
                self.queue.add(_key(rs))

    def reconcile(self, key: tuple[str, str]) -> float | None:
        namespace, name = key
        rs = self._store.get("replicasets", namespace, name)
        if rs is None or is_terminating(rs):
            return None
        pods = self._claim_pods(rs)
        active = [pod for pod in pods if podstate.is_active(pod)]
        desired = _desired(rs)
        failure = None
        if len(active) < desired:
            failure = self._create_pods(rs, desired - len(active))
        elif len(active) > desired:
            for pod in podstate.rank_for_deletion(active)[: len(active) - desired]:
                if self._delete_pod(pod):
                    self._event(rs, NORMAL, "SuccessfulDelete",
                                f"Deleted pod: {pod['metadata']['name']}")
        return self._write_status(rs, failure)

    def _claim_pods(self, rs: dict) -> list[dict]:
        """Pods this ReplicaSet controls, after adopting matching orphans and releasing strays."""
        selector = _selector(rs)
        may_adopt = selects_something(rs["spec"].get("selector"))
        owned = []
        for pod in self._pods.claim_candidates(rs):
            labels = pod["metadata"].get("labels") or {}
            if is_controlled_by(pod, rs):
                if selector.matches(labels):
                    owned.append(pod)
                elif not is_terminating(pod):
                    self._set_owner(pod, None)
            elif (may_adopt and controller_reference(pod) is None and not is_terminating(pod)
                  and labels and selector.matches(labels)):
                adopted = self._set_owner(pod, rs)
                if adopted is not None:
                    owned.append(adopted)
        return owned

    def _set_owner(self, pod: dict, rs: dict | None) -> dict | None:
        ref = owner_reference(rs, api_version="apps/v1", kind="ReplicaSet") if rs else None
        try:
            return self._store.update("pods", with_controller(pod, ref), manager=MANAGER)
        except Exception as error:  # a concurrent write wins; the next event retries
            log.debug("could not change owner of pod %s: %s", pod["metadata"]["name"], error)
            return None

    def _create_pods(self, rs: dict, count: int) -> str | None:
        """Create `count` pods; returns the error message of the first failure, if any."""
        for _ in range(count):
            error = self._create_pod(rs)
            if error is not None:
                return error
        return None

    def _create_pod(self, rs: dict) -> str | None:
        template = rs["spec"].get("template") or {}
        template_meta = template.get("metadata") or {}
        meta = rs["metadata"]
        last_error = ""
        for _ in range(_NAME_ATTEMPTS):
            pod = {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": f"{meta['name']}-{random_suffix(rng=self._rng)}",
                    "generateName": f"{meta['name']}-",
                    "namespace": meta.get("namespace"),
                    "labels": dict(template_meta.get("labels") or {}),
                    "ownerReferences": [
                        owner_reference(rs, api_version="apps/v1", kind="ReplicaSet")],
                },
                "spec": copy.deepcopy(template.get("spec") or {}),
            }
            if template_meta.get("annotations"):
                pod["metadata"]["annotations"] = dict(template_meta["annotations"])
            try:
                self._store.create("pods", pod, manager=MANAGER)
            except Exception as error:  # name clash or invalid template: report on the RS
                last_error = str(error)
                continue
            self._event(rs, NORMAL, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}")
            return None
        log.warning("replicaset %s/%s: cannot create pod: %s", meta.get("namespace"),
                    meta["name"], last_error)
        self._event(rs, WARNING, "FailedCreate", f"Error creating: {last_error}")
        return last_error

    def _event(self, rs: dict, event_type: str, reason: str, message: str) -> None:
        if self._recorder is not None:
            self._recorder.legacy_event(object_reference(rs), event_type, reason, message,
                                        component=MANAGER)

    def _delete_pod(self, pod: dict) -> bool:
        meta = pod["metadata"]
        try:
            self._store.delete("pods", meta.get("namespace"), meta["name"])
            return True
        except Exception as error:  # already gone: nothing to do
            log.debug("could not delete pod %s: %s", meta["name"], error)
            return False

    def _write_status(self, rs: dict, failure: str | None) -> float | None:
        fresh = self._store.get("replicasets", rs["metadata"].get("namespace"),
                                rs["metadata"]["name"])
        if fresh is None:
            return None
        status, again_after = compute_status(fresh, self._pods.controlled_by(fresh), self._now(),
                                             failure)
        if status != (fresh.get("status") or {}):
            self._store.write_status("replicasets", fresh, status, manager=MANAGER)
        return again_after


def compute_status(rs: dict, pods: list[dict], now: datetime,
                   failure: str | None = None) -> tuple[dict, float | None]:
    """The ReplicaSet status for its controlled pods, and when to look again (minReadySeconds)."""
    active = [pod for pod in pods if podstate.is_active(pod)]
    template_labels = ((rs["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {}
    min_ready = int(rs["spec"].get("minReadySeconds") or 0)
    fully_labeled = ready = available = 0
    again_after = None
    for pod in active:
        labels = pod["metadata"].get("labels") or {}
        if all(labels.get(k) == v for k, v in template_labels.items()):
            fully_labeled += 1
        if podstate.is_ready(pod):
            ready += 1
        wait = podstate.seconds_until_available(pod, min_ready, now)
        if wait == 0:
            available += 1
        elif wait is not None:
            again_after = wait if again_after is None else min(again_after, wait)
    status: dict = {"replicas": len(active)}
    # Like the real API (int32 omitempty), zero counts are left out.
    for field, value in (("fullyLabeledReplicas", fully_labeled), ("readyReplicas", ready),
                         ("availableReplicas", available)):
        if value:
            status[field] = value
    generation = rs["metadata"].get("generation")
    if generation is not None:
        status["observedGeneration"] = generation
    conditions = _failure_conditions(rs, failure, now)
    if conditions:
        status["conditions"] = conditions
    return status, again_after


def _failure_conditions(rs: dict, failure: str | None, now: datetime) -> list[dict]:
    previous = [c for c in (rs.get("status") or {}).get("conditions") or ()
                if c.get("type") == "ReplicaFailure"]
    if failure is None:
        return []
    if previous and previous[0].get("message") == failure:
        return previous
    return [{"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
             "message": failure, "lastTransitionTime": rfc3339(now)}]


def _desired(rs: dict) -> int:
    replicas = rs["spec"].get("replicas")
    return 1 if replicas is None else int(replicas)


def _selector(rs: dict):
    return selector_from_spec(rs["spec"].get("selector") or {})


def _key(obj: dict) -> tuple[str, str]:
    return obj["metadata"].get("namespace"), obj["metadata"]["name"]
