"""`kubectl describe` for Jobs and CronJobs.

Key decisions: the same lines as kubectl's JobDescriber and CronJobDescriber, in their order,
with the pod template described as for ReplicaSets; counts a Job has not reported yet read as
0 (`Pods Statuses` shows the Ready count only once the status carries one). Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime

from kubetui.model.describe.events import describe_events
from kubetui.model.describe.fields import controller_of, label_selector_string, print_annotations, print_labels
from kubetui.model.describe.pod import describe_pod_template
from kubetui.model.describe.writer import PrefixWriter, go_value, rfc1123z
from kubetui.model.durations import human_duration, parse_timestamp

__all__ = ["describe_cronjob", "describe_job"]


def describe_job(job: dict, events: list[dict] | None, now: datetime, tz=None) -> str:
    meta, spec, status = job.get("metadata") or {}, job.get("spec") or {}, job.get("status") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
    w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
    w.write(0, f"Selector:\t{label_selector_string(spec.get('selector'))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    controlled_by = controller_of(job)
    if controlled_by:
        w.write(0, f"Controlled By:\t{controlled_by}\n")
    if spec.get("parallelism") is not None:
        w.write(0, f"Parallelism:\t{_i(spec.get('parallelism'))}\n")
    w.write(0, f"Completions:\t{_optional(spec.get('completions'))}\n")
    for field, title in (("completionMode", "Completion Mode"), ("suspend", "Suspend"),
                         ("backoffLimit", "Backoff Limit"), ("ttlSecondsAfterFinished", "TTL Seconds After Finished")):
        if spec.get(field) is not None:
            w.write(0, f"{title}:\t{go_value(spec[field])}\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{rfc1123z(status['startTime'], tz)}\n")
    if status.get("completionTime"):
        w.write(0, f"Completed At:\t{rfc1123z(status['completionTime'], tz)}\n")
    start, end = parse_timestamp(status.get("startTime")), parse_timestamp(status.get("completionTime"))
    if start is not None and end is not None:
        w.write(0, f"Duration:\t{human_duration((end - start).total_seconds())}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{_i(spec.get('activeDeadlineSeconds'))}s\n")
    counts = f"{_i(status.get('succeeded'))} Succeeded / {_i(status.get('failed'))} Failed"
    if status.get("ready") is None:
        w.write(0, f"Pods Statuses:\t{_i(status.get('active'))} Active / {counts}\n")
    else:
        w.write(0, f"Pods Statuses:\t{_i(status.get('active'))} Active ({_i(status.get('ready'))} Ready) / {counts}\n")
    if spec.get("completionMode") == "Indexed":
        w.write(0, f"Completed Indexes:\t{_capped_indexes(_s(status.get('completedIndexes')), 50)}\n")
    describe_pod_template(spec.get("template"), w)
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def describe_cronjob(cronjob: dict, events: list[dict] | None, now: datetime, tz=None) -> str:
    meta, spec, status = cronjob.get("metadata") or {}, cronjob.get("spec") or {}, cronjob.get("status") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
    w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Schedule:\t{_s(spec.get('schedule'))}\n")
    w.write(0, f"Concurrency Policy:\t{_s(spec.get('concurrencyPolicy'))}\n")
    suspend = spec.get("suspend")
    w.write(0, f"Suspend:\t{'<unset>' if suspend is None else ('True' if suspend else 'False')}\n")
    w.write(0, f"Time Zone:\t{_s(spec.get('timeZone')) if spec.get('timeZone') is not None else '<unset>'}\n")
    w.write(0, f"Successful Job History Limit:\t{_optional(spec.get('successfulJobsHistoryLimit'))}\n")
    w.write(0, f"Failed Job History Limit:\t{_optional(spec.get('failedJobsHistoryLimit'))}\n")
    deadline = spec.get("startingDeadlineSeconds")
    w.write(0, f"Starting Deadline Seconds:\t{'<unset>' if deadline is None else f'{_i(deadline)}s'}\n")
    _job_template((spec.get("jobTemplate") or {}).get("spec") or {}, w)
    last = status.get("lastScheduleTime")
    w.write(0, f"Last Schedule Time:\t{rfc1123z(last, tz) if last else '<unset>'}\n")
    active = [_s((ref or {}).get("name")) for ref in status.get("active") or ()]
    w.write(0, f"Active Jobs:\t{', '.join(active) if active else '<none>'}\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def _job_template(job_spec: dict, w: PrefixWriter) -> None:
    """`describeJobTemplate`."""
    selector = job_spec.get("selector")
    w.write(0, f"Selector:\t{label_selector_string(selector) if selector is not None else '<unset>'}\n")
    w.write(0, f"Parallelism:\t{_optional(job_spec.get('parallelism'))}\n")
    w.write(0, f"Completions:\t{_optional(job_spec.get('completions'))}\n")
    if job_spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{_i(job_spec.get('activeDeadlineSeconds'))}s\n")
    describe_pod_template(job_spec.get("template"), w)


def _capped_indexes(indexes: str, soft_limit: int) -> str:
    """`capIndexesListOrNone`: the list up to the first comma past `soft_limit` characters."""
    if not indexes:
        return "<none>"
    cut = indexes.find(",", soft_limit)
    return indexes if cut < 0 else indexes[:cut + 1] + "..."


def _optional(value: object) -> str:
    return "<unset>" if value is None else str(_i(value))


def _s(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else go_value(value)


def _i(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
