"""The CronJob controller (v2): Jobs on schedule, the active list, history limits.

Like kube-controller-manager's: at each unmet schedule time (the most recent one only, as
upstream, within `startingDeadlineSeconds` if set) a Job named `<cronjob>-<minutes since the
epoch>` is created from the job template, owned by the CronJob and annotated with its
scheduled time; `concurrencyPolicy` Forbid skips a run while one is active and Replace deletes
the running ones first; finished Jobs leave the active list (SawCompletedJob) and the oldest
beyond `successfulJobsHistoryLimit`/`failedJobsHistoryLimit` are deleted. A Job the CronJob
controls but did not start (`kubectl create job --from=cronjob/x`) is reported as UnexpectedJob.

Key decision: the schedule is read on the cluster clock (`ClusterOptions.clock`), and a
reconcile asks to be run again at the next schedule time (plus 100 ms, as upstream); any change
to the CronJob or one of its Jobs also runs it, so a test that moves a fake clock can poke it.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.storage.changes import DELETED
from kubetui.localcluster.apimachinery.clock import Clock, parse_rfc3339, rfc3339, utc_now
from kubetui.localcluster.controllers.naming import controller_reference, owner_reference
from kubetui.localcluster.controllers.ownership import ControllerIndex
from kubetui.localcluster.controllers.workqueue import ReconcileQueue
from kubetui.localcluster.apimachinery.cron_schedule import CronError, Schedule, parse
from kubetui.localcluster.storage.events import NORMAL, WARNING, EventRecorder, object_reference

log = logging.getLogger(__name__)

MANAGER = "cronjob-controller"
SCHEDULED_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp"
NEXT_DELTA = 0.1
MAX_WAIT = 3600.0  # look again at least hourly (a long schedule, a clock that jumps)
Key = tuple[str, str]


def job_name(cronjob: dict, scheduled: datetime) -> str:
    """getJobName: the scheduled time in minutes since the epoch, so a time runs once."""
    return f"{cronjob['metadata']['name']}-{int(scheduled.timestamp()) // 60}"


def _condition(job: dict) -> str:
    for condition in (job.get("status") or {}).get("conditions") or ():
        if condition.get("type") in ("Complete", "Failed") and condition.get("status") == "True":
            return condition["type"]
    return ""


class CronJobController:
    def __init__(self, store, loop: asyncio.AbstractEventLoop, *, now: Clock = utc_now,
                 recorder: EventRecorder | None = None) -> None:
        self._store = store
        self._now = now
        self._recorder = recorder
        self._jobs = ControllerIndex(store, "jobs")
        self.queue = ReconcileQueue(loop, self.reconcile, "cronjob-controller")

    def start(self) -> None:
        self._jobs.start()
        self._store.add_listener(self.on_event)
        for cronjob in self._store.list("cronjobs")[0]:
            self.queue.add(_key(cronjob))

    def stop(self) -> None:
        self._store.remove_listener(self.on_event)
        self._jobs.stop()
        self.queue.stop()

    def on_event(self, event_type: str, plural: str, obj: dict) -> None:
        if plural == "cronjobs" and event_type != DELETED:
            self.queue.add(_key(obj))
        elif plural == "jobs":
            ref = controller_reference(obj)
            if ref is not None and ref.get("kind") == "CronJob":
                self.queue.add((obj["metadata"].get("namespace") or "", ref.get("name", "")))

    # ------------------------------------------------------------------ reconcile
    def reconcile(self, key: Key) -> float | None:
        cronjob = self._store.get("cronjobs", *key)
        if cronjob is None:
            return None
        status = copy.deepcopy(cronjob.get("status") or {})
        jobs = self._jobs.controlled_by(cronjob)
        self._track(cronjob, status, jobs)
        again = None
        if not cronjob["metadata"].get("deletionTimestamp"):
            again = self._schedule(cronjob, status)
        self._write_status(cronjob, status)
        self._clean_up(cronjob, self._jobs.controlled_by(cronjob))
        return again

    def _track(self, cronjob: dict, status: dict, jobs: list[dict]) -> None:
        """The active list against the Jobs: completed ones leave it, vanished ones too."""
        active = status.get("active") or []
        uids = {ref.get("uid") for ref in active}
        for job in jobs:
            uid, name = job["metadata"].get("uid"), job["metadata"]["name"]
            finished = _condition(job)
            if uid not in uids and not finished:
                self._event(cronjob, WARNING, "UnexpectedJob",
                            f"Saw a job that the controller did not create or forgot: {name}")
            elif uid in uids and finished:
                active = [ref for ref in active if ref.get("uid") != uid]
                self._event(cronjob, NORMAL, "SawCompletedJob", f"Saw completed job: {name}, condition: {finished}")
            if finished == "Complete":
                completion = (job.get("status") or {}).get("completionTime")
                last = parse_rfc3339(status.get("lastSuccessfulTime"))
                if completion and (last is None or (parse_rfc3339(completion) or last) > last):
                    status["lastSuccessfulTime"] = completion
        present = {job["metadata"].get("uid") for job in jobs}
        for ref in list(active):
            if ref.get("uid") not in present:
                active = [r for r in active if r.get("uid") != ref.get("uid")]
                self._event(cronjob, NORMAL, "MissingJob", f"Active job went missing: {ref.get('name')}")
        if active:
            status["active"] = active
        else:
            status.pop("active", None)

    def _schedule(self, cronjob: dict, status: dict) -> float | None:
        spec = cronjob.get("spec") or {}
        zone = _zone(spec.get("timeZone"))
        if zone is None:
            self._event(cronjob, WARNING, "UnknownTimeZone", f"invalid timeZone: {spec.get('timeZone')!r}")
            return None
        if spec.get("suspend"):
            return None
        try:
            schedule = parse(str(spec.get("schedule") or ""))
        except CronError as error:
            self._event(cronjob, WARNING, "UnparseableSchedule", f"unparseable schedule: {spec.get('schedule')!r} : {error}")
            return None
        now = self._now()
        scheduled, _, missed = _most_recent(cronjob, status, now, schedule, zone, with_deadline=True)
        if missed > 100:
            self._event(cronjob, WARNING, "TooManyMissedTimes", "too many missed start times. Set or decrease "
                        ".spec.startingDeadlineSeconds or check clock skew")
        if scheduled is not None:
            self._run(cronjob, status, scheduled, now, zone)
        return self._wait(cronjob, status, now, schedule, zone)

    def _run(self, cronjob: dict, status: dict, scheduled: datetime, now: datetime, zone) -> None:
        spec = cronjob.get("spec") or {}
        deadline = spec.get("startingDeadlineSeconds")
        if isinstance(deadline, int) and (scheduled.timestamp() + deadline) < now.timestamp():
            self._event(cronjob, WARNING, "MissSchedule", "Missed scheduled time to start a job: "
                        + scheduled.astimezone(timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000"))
            return
        name = job_name(cronjob, scheduled)
        active = status.get("active") or []
        if any(ref.get("name") == name for ref in active) or status.get("lastScheduleTime") == rfc3339(scheduled):
            return
        policy = spec.get("concurrencyPolicy", "Allow")
        if policy == "Forbid" and active:
            self._event(cronjob, NORMAL, "JobAlreadyActive",
                        "Not starting job because prior execution is running and concurrency policy is Forbid")
            return
        if policy == "Replace":
            for ref in active:
                self._delete_job(cronjob, ref.get("name", ""))
            active = []
        try:
            created = self._store.create("jobs", self._job_for(cronjob, scheduled, name, zone), manager=MANAGER)
        except errors.ApiError as error:
            if error.code != 409:
                self._event(cronjob, WARNING, "FailedCreate", f"Error creating job: {error.message}")
                return
            # Made earlier for this minute: upstream takes it on again unless someone else owns it.
            created = self._store.get("jobs", cronjob["metadata"].get("namespace"), name)
            ref = controller_reference(created) if created is not None else None
            if ref is None or ref.get("uid") != cronjob["metadata"].get("uid") or any(
                    r.get("uid") == created["metadata"]["uid"] for r in active):
                return
        else:
            self._event(cronjob, NORMAL, "SuccessfulCreate", f"Created job {name}")
        meta = created["metadata"]
        status["active"] = active + [{"kind": "Job", "namespace": meta.get("namespace"), "name": meta["name"],
                                      "uid": meta["uid"], "apiVersion": "batch/v1",
                                      "resourceVersion": meta["resourceVersion"]}]
        status["lastScheduleTime"] = rfc3339(scheduled)

    def _job_for(self, cronjob: dict, scheduled: datetime, name: str, zone) -> dict:
        template = (cronjob.get("spec") or {}).get("jobTemplate") or {}
        template_meta = template.get("metadata") or {}
        annotations = dict(template_meta.get("annotations") or {})
        annotations[SCHEDULED_ANNOTATION] = _rfc3339_in(scheduled, zone)
        meta: dict = {"name": name, "namespace": cronjob["metadata"].get("namespace"), "annotations": annotations,
                      "ownerReferences": [owner_reference(cronjob, api_version="batch/v1", kind="CronJob")]}
        if template_meta.get("labels"):
            meta["labels"] = dict(template_meta["labels"])
        return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
                "spec": copy.deepcopy(template.get("spec") or {})}

    def _wait(self, cronjob: dict, status: dict, now: datetime, schedule: Schedule, zone) -> float:
        """nextScheduleTimeDuration: until the next slot after the most recent one, plus 100 ms."""
        latest, earliest, missed = _most_recent(cronjob, status, now, schedule, zone, with_deadline=False)
        base = latest or (earliest if not missed else now)
        upcoming = schedule.next_after(base, zone)
        if upcoming is None:
            return MAX_WAIT
        return min(max((upcoming - now).total_seconds() + NEXT_DELTA, NEXT_DELTA), MAX_WAIT)

    # ------------------------------------------------------------------ writes
    def _write_status(self, cronjob: dict, status: dict) -> None:
        live = self._store.get("cronjobs", cronjob["metadata"].get("namespace"), cronjob["metadata"]["name"])
        if live is not None and live["metadata"].get("uid") == cronjob["metadata"].get("uid") and (
                (live.get("status") or {}) != status):
            self._store.write_status("cronjobs", live, status, manager=MANAGER)

    def _clean_up(self, cronjob: dict, jobs: list[dict]) -> None:
        spec = cronjob.get("spec") or {}
        for outcome, limit_field in (("Complete", "successfulJobsHistoryLimit"), ("Failed", "failedJobsHistoryLimit")):
            limit = spec.get(limit_field)
            if not isinstance(limit, int):
                continue
            done = [job for job in jobs if _condition(job) == outcome and not job["metadata"].get("deletionTimestamp")]
            done.sort(key=lambda job: (job.get("status") or {}).get("startTime") or job["metadata"]["creationTimestamp"])
            for job in done[: max(len(done) - limit, 0)]:
                self._delete_job(cronjob, job["metadata"]["name"])

    def _delete_job(self, cronjob: dict, name: str) -> None:
        try:
            self._store.delete("jobs", cronjob["metadata"].get("namespace"), name, propagation="Background")
        except errors.ApiError as error:
            log.debug("cronjob %s: could not delete job %s: %s", cronjob["metadata"]["name"], name, error)
            return
        self._event(cronjob, NORMAL, "SuccessfulDelete", f"Deleted job {name}")

    def _event(self, cronjob: dict, event_type: str, reason: str, message: str) -> None:
        if self._recorder is not None:
            self._recorder.legacy_event(object_reference(cronjob), event_type, reason, message, component=MANAGER)


def _key(obj: dict) -> Key:
    return obj["metadata"].get("namespace") or "", obj["metadata"]["name"]


def _zone(name: object):
    if name is None:
        return timezone.utc  # the controller manager's own zone: UTC, as in kind
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _rfc3339_in(moment: datetime, zone) -> str:
    local = moment.astimezone(zone)
    if local.utcoffset() == timezone.utc.utcoffset(None):
        return local.strftime("%Y-%m-%dT%H:%M:%SZ")
    return local.isoformat(timespec="seconds")


def _most_recent(cronjob: dict, status: dict, now: datetime, schedule: Schedule, zone, *,
                 with_deadline: bool) -> tuple[datetime | None, datetime, int]:
    """mostRecentScheduleTime: (the latest unmet time ≤ now or None, the earliest time
    considered, the approximate number of missed times)."""
    earliest = parse_rfc3339(status.get("lastScheduleTime")) or parse_rfc3339(
        cronjob["metadata"].get("creationTimestamp")) or now
    deadline = (cronjob.get("spec") or {}).get("startingDeadlineSeconds")
    if with_deadline and isinstance(deadline, int):
        earliest = max(earliest, datetime.fromtimestamp(now.timestamp() - deadline, timezone.utc))
    first = schedule.next_after(earliest, zone)
    if first is None or now < first:
        return None, earliest, 0
    second = schedule.next_after(first, zone)
    if second is None or now < second:
        return first, earliest, 1
    between = round((second - first).total_seconds())
    if between < 1:
        return None, earliest, 0
    missed = int((now - first).total_seconds()) // between + 1
    moment = datetime.fromtimestamp(first.timestamp() + (missed - 2) * between, timezone.utc)
    latest = None
    upcoming = schedule.next_after(moment, zone)
    while upcoming is not None and upcoming <= now:
        latest = upcoming
        upcoming = schedule.next_after(upcoming, zone)
    return latest, earliest, missed
