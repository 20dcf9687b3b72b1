"""One reconcile of one Job (upstream's syncJob): count finished pods, decide, write the status.

What it does is upstream's: pods are stamped from the template (`<job>-<5 chars>`, or
`<job>-<index>-<5 chars>` in Indexed mode) with the `batch.kubernetes.io/job-tracking`
finalizer, which is removed once a finished pod has been counted in `succeeded`/`failed`;
failed pods are replaced after an exponential back-off (10 s doubling, 6 min cap) until
`backoffLimit` is passed; `activeDeadlineSeconds`, `suspend` and `ttlSecondsAfterFinished`
act as upstream, with the same conditions (SuccessCriteriaMet/FailureTarget first, then
Complete/Failed once no pod is left running), reasons, messages and events.

Key decision: a reconcile is an object that lives for one pass over one Job and works on a
copy of its status, written once at the end (and only when it changed); it asks for another
pass by returning how many seconds to wait.
"""

from __future__ import annotations

import copy
import logging
import random
from datetime import datetime

from kubetui.localcluster.apimachinery.clock import parse_rfc3339, rfc3339
from kubetui.localcluster.controllers import podstate
from kubetui.localcluster.controllers.job_indexes import (
    INDEX_ANNOTATION,
    INDEX_LABEL,
    format_indexes,
    parse_indexes,
    pod_index,
)
from kubetui.localcluster.controllers.naming import owner_reference, random_suffix
from kubetui.localcluster.controllers.ownership import ControllerIndex
from kubetui.localcluster.storage.events import NORMAL, WARNING, EventRecorder, object_reference

log = logging.getLogger(__name__)

MANAGER = "job-controller"
TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"
BACKOFF_SECONDS, MAX_BACKOFF_SECONDS = 10.0, 360.0
COMPLETED = "Reached expected number of succeeded pods"
BACKOFF_EXCEEDED = "Job has reached the specified backoff limit"
DEADLINE_EXCEEDED = "Job was active longer than specified deadline"


def is_finished(job: dict) -> bool:
    return any(c.get("type") in ("Complete", "Failed") and c.get("status") == "True"
               for c in (job.get("status") or {}).get("conditions") or ())


def is_terminal(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def remove_tracking_finalizer(store, pod: dict) -> None:
    changed = copy.deepcopy(pod)
    remaining = [f for f in changed["metadata"].get("finalizers") or () if f != TRACKING_FINALIZER]
    if remaining:
        changed["metadata"]["finalizers"] = remaining
    else:
        changed["metadata"].pop("finalizers", None)
    try:
        store.update("pods", changed, manager=MANAGER)
    except Exception as error:  # gone meanwhile: nothing to release
        log.debug("could not release pod %s: %s", pod["metadata"]["name"], error)


class JobSync:
    """One reconcile of one Job (syncJob). `last_failure` (job uid → when a pod last failed) is
    the controller's, kept across reconciles for the back-off."""

    def __init__(self, store, pods: ControllerIndex, job: dict, now: datetime, *,
                 last_failure: dict[str, datetime], recorder: EventRecorder | None = None,
                 rng: random.Random | None = None) -> None:
        self.store = store
        self.pods = pods
        self.last_failure = last_failure
        self.recorder = recorder
        self.rng = rng
        self.job = job
        self.spec = job.get("spec") or {}
        self.status = copy.deepcopy(job.get("status") or {})
        self.now = now
        self.again: float | None = None
        self.new_failures = False

    def run(self) -> float | None:
        pods = self.pods.controlled_by(self.job)
        if is_finished(self.job):
            for pod in pods:
                if TRACKING_FINALIZER in (pod["metadata"].get("finalizers") or ()) and (
                        is_terminal(pod) or pod["metadata"].get("deletionTimestamp")):
                    remove_tracking_finalizer(self.store, pod)
            return self._ttl()
        counted = self._count_finished(pods)
        active = [p for p in pods if not is_terminal(p) and not p["metadata"].get("deletionTimestamp")]
        terminating = [p for p in pods if not is_terminal(p) and p["metadata"].get("deletionTimestamp")]
        if self.spec.get("suspend"):
            self._suspend(active)
        else:
            self._resume()
            self._decide(active, terminating, counted)
        self._write_status(pods)
        for pod in counted:
            remove_tracking_finalizer(self.store, pod)
        return self.again

    # ------------------------------------------------------------------ counting
    def _failed(self, pod: dict) -> bool:
        if (pod.get("status") or {}).get("phase") == "Failed":
            return True
        if self.spec.get("podReplacementPolicy") == "Failed":
            return False
        return bool(pod["metadata"].get("deletionTimestamp")) and (pod.get("status") or {}).get("phase") != "Succeeded"

    def _count_finished(self, pods: list[dict]) -> list[dict]:
        """Pods that finished since the last count: add them to succeeded/failed."""
        counted = []
        for pod in pods:
            if TRACKING_FINALIZER not in (pod["metadata"].get("finalizers") or ()):
                continue
            if (pod.get("status") or {}).get("phase") == "Succeeded":
                self.status["succeeded"] = self.status.get("succeeded", 0) + 1
                self._record_index(pod)
                counted.append(pod)
            elif self._failed(pod):
                self.status["failed"] = self.status.get("failed", 0) + 1
                self.last_failure[self.job["metadata"]["uid"]] = self.now
                counted.append(pod)
        self.new_failures = any(self._failed(p) for p in counted)
        return counted

    def _record_index(self, pod: dict) -> None:
        if self.spec.get("completionMode") != "Indexed":
            return
        index = pod_index(pod)
        if index is not None:
            done = parse_indexes(self.status.get("completedIndexes", "")) | {index}
            self.status["completedIndexes"] = format_indexes(done)

    # ------------------------------------------------------------------ decisions
    def _decide(self, active: list[dict], terminating: list[dict], counted: list[dict]) -> None:
        self.status.setdefault("startTime", rfc3339(self.now))
        failure = self._failure_reason(active)
        if failure is not None and not self._has("FailureTarget"):
            self._set_condition("FailureTarget", *failure)
            self._event(WARNING, *failure)
        target = self._condition("FailureTarget")
        if target is not None and target.get("status") == "True":
            self._delete_pods(active)
            if not active and not terminating:
                self._set_condition("Failed", target.get("reason", ""), target.get("message", ""))
            return
        if self._succeeded_enough(active):
            if not self._has("SuccessCriteriaMet"):
                self._set_condition("SuccessCriteriaMet", "CompletionsReached", COMPLETED)
            self._delete_pods(active)
            if not active and not terminating:
                self._set_condition("Complete", "CompletionsReached", COMPLETED)
                self.status["completionTime"] = rfc3339(self.now)
                self._event(NORMAL, "Completed", "Job completed")
            return
        self._scale(active)

    def _failure_reason(self, active: list[dict]) -> tuple[str, str] | None:
        limit = self.spec.get("backoffLimit", 6)
        if self.new_failures and self.status.get("failed", 0) > limit:
            return "BackoffLimitExceeded", BACKOFF_EXCEEDED
        if (self.spec.get("template") or {}).get("spec", {}).get("restartPolicy") == "OnFailure":
            restarts = sum(s.get("restartCount", 0) for p in active
                           for s in ((p.get("status") or {}).get("containerStatuses") or [])
                           + ((p.get("status") or {}).get("initContainerStatuses") or []))
            if (restarts > 0) if limit == 0 else (restarts >= limit):
                return "BackoffLimitExceeded", BACKOFF_EXCEEDED
        deadline = self.spec.get("activeDeadlineSeconds")
        start = parse_rfc3339(self.status.get("startTime"))
        if isinstance(deadline, int) and start is not None:
            remaining = deadline - (self.now - start).total_seconds()
            if remaining <= 0:
                return "DeadlineExceeded", DEADLINE_EXCEEDED
            self._again_after(remaining)
        return None

    def _succeeded_enough(self, active: list[dict]) -> bool:
        succeeded = self.status.get("succeeded", 0)
        completions = self.spec.get("completions")
        if completions is None:
            return succeeded > 0 and not active
        if self.spec.get("completionMode") == "Indexed":
            return len(parse_indexes(self.status.get("completedIndexes", ""))) >= completions
        return succeeded >= completions

    def _scale(self, active: list[dict]) -> None:
        parallelism = self.spec.get("parallelism", 1)
        completions = self.spec.get("completions")
        succeeded = self.status.get("succeeded", 0)
        if completions is None:
            want = len(active) if succeeded > 0 else parallelism
        else:
            want = max(0, min(parallelism, completions - succeeded))
        if len(active) > want:
            self._delete_pods(podstate.rank_for_deletion(active)[: len(active) - want])
            return
        missing = want - len(active)
        if missing <= 0:
            return
        wait = self._backoff_remaining()
        if wait > 0:
            self._again_after(wait)
            return
        for index in self._indexes_to_create(active, missing):
            self._create_pod(index)

    def _backoff_remaining(self) -> float:
        failed = self.status.get("failed", 0)
        last = self.last_failure.get(self.job["metadata"]["uid"])
        if not failed or last is None:
            return 0.0
        delay = min(BACKOFF_SECONDS * 2 ** (failed - 1), MAX_BACKOFF_SECONDS)
        return delay - (self.now - last).total_seconds()

    def _indexes_to_create(self, active: list[dict], count: int) -> list[int | None]:
        if self.spec.get("completionMode") != "Indexed":
            return [None] * count
        taken = parse_indexes(self.status.get("completedIndexes", "")) | {
            i for i in (pod_index(p) for p in active) if i is not None}
        free = [i for i in range(self.spec.get("completions") or 0) if i not in taken]
        return list(free[:count])

    # ------------------------------------------------------------------ suspend
    def _suspend(self, active: list[dict]) -> None:
        self._delete_pods(active)
        if not self._has("Suspended"):
            self._set_condition("Suspended", "JobSuspended", "Job suspended")
            self.status.pop("startTime", None)
            self._event(NORMAL, "Suspended", "Job suspended")

    def _resume(self) -> None:
        if self._has("Suspended"):
            self._set_condition("Suspended", "JobResumed", "Job resumed", status="False")
            self._event(NORMAL, "Resumed", "Job resumed")

    # ------------------------------------------------------------------ writes
    def _create_pod(self, index: int | None) -> None:
        template = self.spec.get("template") or {}
        template_meta = template.get("metadata") or {}
        meta = self.job["metadata"]
        prefix = f"{meta['name']}-" if index is None else f"{meta['name']}-{index}-"
        labels = dict(template_meta.get("labels") or {})
        annotations = dict(template_meta.get("annotations") or {})
        spec = copy.deepcopy(template.get("spec") or {})
        if index is not None:
            labels[INDEX_LABEL] = annotations[INDEX_ANNOTATION] = str(index)
            spec.setdefault("hostname", f"{meta['name']}-{index}")
            for container in spec.get("containers") or []:
                env = container.setdefault("env", [])
                if not any(e.get("name") == "JOB_COMPLETION_INDEX" for e in env):
                    env.append({"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
                        "fieldPath": f"metadata.annotations['{INDEX_ANNOTATION}']"}}})
        pod_meta: dict = {"name": prefix + random_suffix(rng=self.rng), "generateName": prefix,
                          "namespace": meta.get("namespace"), "labels": labels,
                          "finalizers": [TRACKING_FINALIZER],
                          "ownerReferences": [owner_reference(self.job, api_version="batch/v1", kind="Job")]}
        if annotations:
            pod_meta["annotations"] = annotations
        try:
            created = self.store.create("pods", {"apiVersion": "v1", "kind": "Pod", "metadata": pod_meta,
                                                 "spec": spec}, manager=MANAGER)
        except Exception as error:  # invalid template or a name clash: report it on the Job
            self._event(WARNING, "FailedCreate", f"Error creating: {error}")
            return
        self._event(NORMAL, "SuccessfulCreate", f"Created pod: {created['metadata']['name']}")

    def _delete_pods(self, pods: list[dict]) -> None:
        for pod in pods:
            try:
                self.store.delete("pods", pod["metadata"].get("namespace"), pod["metadata"]["name"])
            except Exception as error:  # already gone
                log.debug("could not delete pod %s: %s", pod["metadata"]["name"], error)
                continue
            self._event(NORMAL, "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}")

    def _write_status(self, pods: list[dict]) -> None:
        fresh_pods = self.pods.controlled_by(self.job)
        active = [p for p in fresh_pods if not is_terminal(p) and not p["metadata"].get("deletionTimestamp")]
        self.status.pop("active", None)
        if active and not is_finished({"status": self.status}):
            self.status["active"] = len(active)
        self.status["ready"] = sum(1 for p in active if podstate.is_ready(p))
        self.status["terminating"] = sum(1 for p in fresh_pods
                                         if p["metadata"].get("deletionTimestamp") and not is_terminal(p))
        self.status["uncountedTerminatedPods"] = {}
        for field in ("succeeded", "failed"):
            if not self.status.get(field):
                self.status.pop(field, None)
        live = self.store.get("jobs", self.job["metadata"].get("namespace"), self.job["metadata"]["name"])
        if live is not None and live["metadata"].get("uid") == self.job["metadata"].get("uid") and (
                self.status != (live.get("status") or {})):
            self.store.write_status("jobs", live, self.status, manager=MANAGER)

    # ------------------------------------------------------------------ ttl
    def _ttl(self) -> float | None:
        ttl = self.spec.get("ttlSecondsAfterFinished")
        if not isinstance(ttl, int) or self.job["metadata"].get("deletionTimestamp"):
            return None
        finished = next((parse_rfc3339(c.get("lastTransitionTime")) for c in self.status.get("conditions") or ()
                         if c.get("type") in ("Complete", "Failed") and c.get("status") == "True"), None)
        remaining = ttl - (self.now - (finished or self.now)).total_seconds()
        if remaining > 0:
            return remaining
        meta = self.job["metadata"]
        try:
            self.store.delete("jobs", meta.get("namespace"), meta["name"], propagation="Foreground")
        except Exception as error:  # deleted meanwhile
            log.debug("ttl: could not delete job %s: %s", meta["name"], error)
        return None

    # ------------------------------------------------------------------ conditions
    def _condition(self, kind: str) -> dict | None:
        return next((c for c in self.status.get("conditions") or () if c.get("type") == kind), None)

    def _has(self, kind: str) -> bool:
        condition = self._condition(kind)
        return condition is not None and condition.get("status") == "True"

    def _set_condition(self, kind: str, reason: str, message: str, status: str = "True") -> None:
        now = rfc3339(self.now)
        conditions = self.status.setdefault("conditions", [])
        existing = self._condition(kind)
        if existing is not None:
            if existing.get("status") != status:
                existing["lastTransitionTime"] = now
            existing.update(status=status, reason=reason, message=message, lastProbeTime=now)
            return
        conditions.append({"type": kind, "status": status, "lastProbeTime": now, "lastTransitionTime": now,
                           "reason": reason, "message": message})

    def _again_after(self, seconds: float) -> None:
        seconds = max(seconds, 0.05)
        self.again = seconds if self.again is None else min(self.again, seconds)

    def _event(self, event_type: str, reason: str, message: str) -> None:
        if self.recorder is not None:
            self.recorder.legacy_event(object_reference(self.job), event_type, reason, message,
                                       component=MANAGER)
