"""The Job controller: runs a Job's pods to `completions` successes, or fails it (job_sync.py
does one reconcile), and releases the tracking finalizer of pods whose Job is gone or done.

Key decision: event-driven and level-triggered like the other controllers here: any change to
a Job or a pod it controls queues the Job; the store is synchronous, so no expectations are
needed. Times come from the cluster clock.
"""

from __future__ import annotations

import asyncio
import random
from datetime import datetime

from kubetui.localcluster.apimachinery.clock import Clock, utc_now
from kubetui.localcluster.controllers.job_sync import (
    TRACKING_FINALIZER,
    JobSync,
    is_finished,
    is_terminal,
    remove_tracking_finalizer,
)
from kubetui.localcluster.controllers.naming import controller_reference
from kubetui.localcluster.controllers.ownership import ControllerIndex
from kubetui.localcluster.controllers.workqueue import ReconcileQueue
from kubetui.localcluster.storage.changes import DELETED
from kubetui.localcluster.storage.events import EventRecorder

Key = tuple[str, str, str]  # ("job" | "pod", namespace, name)


class JobController:
    def __init__(self, store, loop: asyncio.AbstractEventLoop, *, now: Clock = utc_now,
                 recorder: EventRecorder | None = None, rng: random.Random | None = None) -> None:
        self._store = store
        self._now = now
        self._recorder = recorder
        self._rng = rng
        self._pods = ControllerIndex(store, "pods")
        self._last_failure: dict[str, datetime] = {}  # job uid → when a pod last failed
        self.queue = ReconcileQueue(loop, self.reconcile, "job-controller")

    def start(self) -> None:
        self._pods.start()
        self._store.add_listener(self.on_event)
        for job in self._store.list("jobs")[0]:
            self.queue.add(("job", job["metadata"]["namespace"], job["metadata"]["name"]))

    def stop(self) -> None:
        self._store.remove_listener(self.on_event)
        self._pods.stop()
        self.queue.stop()

    def on_event(self, event_type: str, plural: str, obj: dict) -> None:
        meta = obj["metadata"]
        if plural == "jobs":
            if event_type == DELETED:
                self._last_failure.pop(meta.get("uid", ""), None)
            else:
                self.queue.add(("job", meta.get("namespace"), meta["name"]))
        elif plural == "pods" and event_type != DELETED:
            ref = controller_reference(obj)
            if ref is not None and ref.get("kind") == "Job":
                self.queue.add(("job", meta.get("namespace"), ref.get("name")))
            if TRACKING_FINALIZER in (meta.get("finalizers") or ()):
                self.queue.add(("pod", meta.get("namespace"), meta["name"]))

    def reconcile(self, key: Key) -> float | None:
        kind, namespace, name = key
        if kind == "pod":
            self._release_orphan(namespace, name)
            return None
        job = self._store.get("jobs", namespace, name)
        if job is None:
            return None
        return JobSync(self._store, self._pods, job, self._now(), last_failure=self._last_failure,
                       recorder=self._recorder, rng=self._rng).run()

    def _release_orphan(self, namespace: str, name: str) -> None:
        """A tracked pod whose Job is gone (or done with it) loses the finalizer once it stops."""
        pod = self._store.get("pods", namespace, name)
        if pod is None or TRACKING_FINALIZER not in (pod["metadata"].get("finalizers") or ()):
            return
        ref = controller_reference(pod)
        job = self._store.get("jobs", namespace, ref.get("name")) if ref else None
        if job is not None and job["metadata"].get("uid") == ref.get("uid") and not is_finished(job):
            return  # its Job counts it
        if is_terminal(pod) or pod["metadata"].get("deletionTimestamp") or job is None:
            remove_tracking_finalizer(self._store, pod)
