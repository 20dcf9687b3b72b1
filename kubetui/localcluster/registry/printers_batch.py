"""Server-side printing of batch/v1 Jobs and CronJobs, as kube-apiserver's printers do it.

Key decision: like every printer, a pure function of `(object, now)`; a running Job's
DURATION counts to `now`, a finished one's from startTime to completionTime.
"""

from __future__ import annotations

from datetime import datetime

from kubetui.localcluster.apimachinery.clock import parse_rfc3339
from kubetui.localcluster.registry.printing import AGE, NAME, Column, Printer, since
from kubetui.model.durations import human_duration
from kubetui.model.label_selectors import format_label_selector

_TEMPLATE_WIDE = (
    Column("Containers", priority=1, description="Names of each container in the template."),
    Column("Images", priority=1, description="Images referenced by each container in the template."),
    Column("Selector", priority=1, description="A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"),
)


def _has_condition(job: dict, kind: str) -> bool:
    return any(c.get("type") == kind and c.get("status") == "True"
               for c in (job.get("status") or {}).get("conditions") or [])


def job_status(job: dict) -> str:
    """The STATUS column: the first of Complete, Failed, Terminating, Suspended, FailureTarget."""
    if _has_condition(job, "Complete"):
        return "Complete"
    if _has_condition(job, "Failed"):
        return "Failed"
    if (job.get("metadata") or {}).get("deletionTimestamp"):
        return "Terminating"
    if _has_condition(job, "Suspended"):
        return "Suspended"
    if _has_condition(job, "FailureTarget"):
        return "FailureTarget"
    return "Running"


def job_completions(job: dict) -> str:
    spec, status = job.get("spec") or {}, job.get("status") or {}
    succeeded = status.get("succeeded") or 0
    if spec.get("completions") is not None:
        return f"{succeeded}/{spec['completions']}"
    parallelism = spec.get("parallelism") or 0
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def job_duration(job: dict, now: datetime) -> str:
    status = job.get("status") or {}
    start = parse_rfc3339(status.get("startTime"))
    if start is None:
        return ""
    end = parse_rfc3339(status.get("completionTime")) or now
    return human_duration((end - start).total_seconds())


def _template_cells(job_spec: dict) -> list[str]:
    containers = ((job_spec.get("template") or {}).get("spec") or {}).get("containers") or []
    return [",".join(str(c.get("name", "")) for c in containers),
            ",".join(str(c.get("image", "")) for c in containers),
            format_label_selector(job_spec.get("selector"))]


JOB = Printer((
    NAME,
    Column("Status", description="Status of the job."),
    Column("Completions", description="The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs."),
    Column("Duration", description="Time required to complete the job."),
    AGE, *_TEMPLATE_WIDE,
), lambda job, now: [(job.get("metadata") or {}).get("name", ""), job_status(job), job_completions(job),
                     job_duration(job, now), since((job.get("metadata") or {}).get("creationTimestamp"), now),
                     *_template_cells(job.get("spec") or {})])


def _bool_text(value: object) -> str:
    """printBoolPtr."""
    if value is None:
        return "<unset>"
    return "True" if value else "False"


def _cronjob_cells(cronjob: dict, now: datetime) -> list:
    meta, spec, status = cronjob.get("metadata") or {}, cronjob.get("spec") or {}, cronjob.get("status") or {}
    last = status.get("lastScheduleTime")
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    return [meta.get("name", ""), spec.get("schedule", ""), spec.get("timeZone") or "<none>",
            _bool_text(spec.get("suspend")), len(status.get("active") or []),
            since(last, now) if last else "<none>", since(meta.get("creationTimestamp"), now),
            *_template_cells(job_spec)]


CRONJOB = Printer((
    NAME,
    Column("Schedule", description="The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
    Column("Timezone", description="The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
    Column("Suspend", "boolean", description="This flag tells the controller to suspend subsequent executions, it does not apply to already started executions. Defaults to false."),
    Column("Active", "integer", description="A list of pointers to currently running jobs."),
    Column("Last Schedule", description="Information when was the last time the job was successfully scheduled."),
    AGE, *_TEMPLATE_WIDE,
), _cronjob_cells)
