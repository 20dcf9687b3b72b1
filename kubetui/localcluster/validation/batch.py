"""Job and CronJob validation, worded like pkg/apis/batch/validation.

Key decisions: the checks users meet first, in the real order: the generated selector (labels
`controller-uid`/`job-name` the server added must still be there), the counts, the pod template
(only `Never` and `OnFailure` restart policies), the selector matching the template; for a
CronJob its schedule as the cron library parses it, its time zone as Go loads it, and a job
template whose selector the server will generate.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kubetui.localcluster.apimachinery import causes as c
from kubetui.localcluster.apimachinery.causes import as_dict, as_str
from kubetui.localcluster.apimachinery.cron_schedule import CronError, parse
from kubetui.localcluster.validation.pod import (
    go_labels,
    go_selector,
    validate_annotations,
    validate_label_selector,
    validate_labels,
    validate_pod_spec,
)
from kubetui.model.label_selectors import LabelSelectorError, selector_from_spec

NEGATIVE = "must be greater than or equal to 0"
COMPLETION_MODES = ("NonIndexed", "Indexed")
CONCURRENCY_POLICIES = ("Allow", "Forbid", "Replace")
JOB_RESTART_POLICIES = ("OnFailure", "Never")
CRONJOB_NAME_LIMIT = 52  # the controller appends `-<minutes since epoch>`; a job name has 63
_ZONE_PART = re.compile(r"^[A-Za-z\.\-_0-9+]{1,14}$")


def nonnegative(spec: dict, key: str, path: str) -> list[dict]:
    """ValidateNonnegativeField for `spec[key]` at `path.key`, when it is an integer."""
    value = spec.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return [c.invalid(f"{path}.{key}", value, NEGATIVE)]
    return []


def _generated_selector(job: dict) -> list[dict]:
    """validateGeneratedSelector: the labels PrepareForCreate added, and the selector it made."""
    spec = as_dict(job.get("spec"))
    if spec.get("manualSelector") is True:
        return []
    template_meta = as_dict(as_dict(spec.get("template")).get("metadata"))
    labels = template_meta.get("labels")
    if labels is None:
        return []
    labels = as_dict(labels)
    meta = as_dict(job.get("metadata"))
    uid, name = as_str(meta.get("uid")), as_str(meta.get("name"))
    out: list[dict] = []
    for key, wanted in (("controller-uid", uid), ("job-name", name),
                        ("batch.kubernetes.io/controller-uid", uid), ("batch.kubernetes.io/job-name", name)):
        field = f"spec.template.metadata.labels[{key}]"
        if key not in labels:
            out.append(c.required(field))
        elif labels[key] != wanted:
            out.append(c.invalid(field, labels[key], f"must be '{wanted}'"))
    expected = {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    selector = spec.get("selector")
    if as_dict(selector) != expected:
        out.append(c.invalid("spec.selector", None, "`selector` not auto-generated",
                             printed="null" if selector is None else go_selector(as_dict(selector))))
    return out


def _job_spec(spec: dict, path: str) -> list[dict]:
    """validateJobSpec: counts, completion mode, the pod template and its restart policy."""
    out: list[dict] = []
    for key in ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"):
        out += nonnegative(spec, key, path)
    mode = spec.get("completionMode")
    if mode is not None and mode not in COMPLETION_MODES:
        out.append(c.not_supported(f"{path}.completionMode", mode, COMPLETION_MODES))
    if mode == "Indexed" and spec.get("completions") is None:
        out.append(c.required(f"{path}.completions", "when completion mode is Indexed"))
    template = as_dict(spec.get("template"))
    template_meta = as_dict(template.get("metadata"))
    out += validate_labels(template_meta.get("labels"), f"{path}.template.labels")
    out += validate_annotations(template_meta.get("annotations"), f"{path}.template.annotations")
    pod_spec = as_dict(template.get("spec"))
    out += validate_pod_spec(pod_spec, f"{path}.template.spec")
    if pod_spec.get("ephemeralContainers"):
        out.append(c.forbidden(f"{path}.template.spec.ephemeralContainers",
                               "ephemeral containers not allowed in pod template"))
    policy = pod_spec.get("restartPolicy")
    if policy not in JOB_RESTART_POLICIES:
        out.append(c.not_supported(f"{path}.template.spec.restartPolicy", policy or "", JOB_RESTART_POLICIES))
    return out


def _job(job: dict) -> list[dict]:
    """ValidateJob (after the object meta): generated selector, then ValidateJobSpec."""
    spec = as_dict(job.get("spec"))
    out = _generated_selector(job) + _job_spec(spec, "spec")
    selector = spec.get("selector")
    if selector is None:
        out.append(c.required("spec.selector"))
        return out
    out += validate_label_selector(selector, "spec.selector")
    labels = as_dict(as_dict(as_dict(spec.get("template")).get("metadata")).get("labels"))
    try:
        compiled = selector_from_spec(as_dict(selector))
    except LabelSelectorError:
        return out
    if not compiled.matches(labels):
        out.append(c.invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`",
                             printed=go_labels(labels)))
    return out


def schedule_problems(schedule: str, path: str = "spec.schedule") -> list[dict]:
    out: list[dict] = []
    try:
        parse(schedule)
    except CronError as error:
        out.append(c.invalid(path, schedule, str(error)))
    if "TZ" in schedule:
        out.append(c.invalid(path, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
    return out


def time_zone_problems(zone, path: str = "spec.timeZone") -> list[dict]:
    if zone is None:
        return []
    zone = as_str(zone)
    if not zone:
        return [c.invalid(path, zone, "timeZone must be nil or non-empty string")]
    for part in zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not _ZONE_PART.match(part):
            return [c.invalid(path, zone, f"unknown time zone {zone}")]
    if zone.lower() == "local":
        return [c.invalid(path, zone, "timeZone must be an explicit time zone as defined in "
                                      "https://www.iana.org/time-zones")]
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return [c.invalid(path, zone, f"unknown time zone {zone}")]
    return []


def _cronjob(cronjob: dict) -> list[dict]:
    """ValidateCronJobCreate after the object meta."""
    meta, spec = as_dict(cronjob.get("metadata")), as_dict(cronjob.get("spec"))
    out: list[dict] = []
    schedule = as_str(spec.get("schedule"))
    if not schedule:
        out.append(c.required("spec.schedule"))
    else:
        out += schedule_problems(schedule)
    out += nonnegative(spec, "startingDeadlineSeconds", "spec")
    out += time_zone_problems(spec.get("timeZone"))
    policy = spec.get("concurrencyPolicy")
    if policy not in CONCURRENCY_POLICIES:
        out.append(c.not_supported("spec.concurrencyPolicy", policy or "", CONCURRENCY_POLICIES))
    job_spec = as_dict(as_dict(spec.get("jobTemplate")).get("spec"))
    out += _job_spec(job_spec, "spec.jobTemplate.spec")
    if job_spec.get("selector") is not None:
        out.append(c.invalid("spec.jobTemplate.spec.selector", None, "`selector` will be auto-generated",
                             printed=go_selector(as_dict(job_spec["selector"]))))
    if job_spec.get("manualSelector") is True:
        out.append(c.not_supported("spec.jobTemplate.spec.manualSelector", True, ("nil", "false")))
    for key in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        out += nonnegative(spec, key, "spec")
    name = as_str(meta.get("name"))
    if len(name) > CRONJOB_NAME_LIMIT:
        out.append(c.invalid("metadata.name", name, f"must be no more than {CRONJOB_NAME_LIMIT} characters"))
    return out


BATCH_CHECKS = {"Job": _job, "CronJob": _cronjob}
