"""`kubectl describe` for ReplicaSets and Deployments.

Key decisions: a ReplicaSet's `Pods Status` counts, by phase, the pods its selector lists that
it controls (same owner UID), as kubectl counts them; a Deployment's replica sets are those
its selector lists and it controls, the new one being the oldest whose pod template equals
the Deployment's once the `pod-template-hash` label is set aside (kubectl's `FindNewReplicaSet`),
every other one old, in creation order. Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime

from kubetui.model.describe.events import describe_events
from kubetui.model.describe.fields import controller_of, label_selector_string, print_annotations, print_labels
from kubetui.model.describe.pod import describe_pod_template
from kubetui.model.describe.writer import PrefixWriter, go_value, rfc1123z
from kubetui.model.durations import parse_timestamp
from kubetui.model.go_sort import go_sort
from kubetui.model.label_selectors import format_label_selector

__all__ = ["describe_deployment", "describe_replica_set", "pod_phase_counts", "split_replica_sets"]

HASH_LABEL = "pod-template-hash"


def pod_phase_counts(pods: list[dict], owner_uid: str) -> tuple[int, int, int, int]:
    """`getPodStatusForController`: running, waiting, succeeded, failed among the pods the owner controls."""
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in pods:
        refs = (pod.get("metadata") or {}).get("ownerReferences") or ()
        controller = next((r for r in refs if isinstance(r, dict) and r.get("controller") is True), None)
        if controller is None or controller.get("uid") != owner_uid:
            continue
        phase = (pod.get("status") or {}).get("phase")
        if phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def describe_replica_set(rs: dict, pods: list[dict] | None, pods_error: str | None,
                         events: list[dict] | None, now: datetime, tz=None) -> str:
    meta, spec, status = rs.get("metadata") or {}, rs.get("spec") or {}, rs.get("status") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
    w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
    w.write(0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    controlled_by = controller_of(rs)
    if controlled_by:
        w.write(0, f"Controlled By:\t{controlled_by}\n")
    w.write(0, f"Replicas:\t{_i(status.get('replicas'))} current / {_i(spec.get('replicas'))} desired\n")
    w.write(0, "Pods Status:\t")
    if pods_error is not None:
        w.write(0, f"error in fetching pods: {pods_error}\n")
    else:
        running, waiting, succeeded, failed = pod_phase_counts(pods or [], _s(meta.get("uid")))
        w.write(0, f"{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    describe_pod_template(spec.get("template"), w)
    _conditions(status, w)
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def split_replica_sets(deployment: dict, replica_sets: list[dict]) -> tuple[list[dict], dict | None]:
    """`GetAllReplicaSetsInChunks`: (every old replica set, the new one) among those listed by
    the Deployment's selector, keeping only those it controls."""
    uid = (deployment.get("metadata") or {}).get("uid")
    owned = []
    for rs in replica_sets:
        refs = (rs.get("metadata") or {}).get("ownerReferences") or ()
        if any(isinstance(r, dict) and r.get("controller") is True and r.get("uid") == uid for r in refs):
            owned.append(rs)
    go_sort(owned, _created_before)
    template = _without_hash((deployment.get("spec") or {}).get("template"))
    new = next((rs for rs in owned if _without_hash((rs.get("spec") or {}).get("template")) == template), None)
    old = [rs for rs in owned if new is None or (rs.get("metadata") or {}).get("uid") != (new.get("metadata") or {}).get("uid")]
    return old, new


def describe_deployment(deployment: dict, old: list[dict], new: dict | None, events: list[dict] | None,
                        now: datetime, tz=None) -> str:
    meta, spec, status = deployment.get("metadata") or {}, deployment.get("spec") or {}, deployment.get("status") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
    w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'), tz)}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{label_selector_string(spec.get('selector'))}\n")
    w.write(0, f"Replicas:\t{_i(spec.get('replicas'))} desired | {_i(status.get('updatedReplicas'))} updated | "
               f"{_i(status.get('replicas'))} total | {_i(status.get('availableReplicas'))} available | "
               f"{_i(status.get('unavailableReplicas'))} unavailable\n")
    strategy = spec.get("strategy") or {}
    w.write(0, f"StrategyType:\t{_s(strategy.get('type'))}\n")
    w.write(0, f"MinReadySeconds:\t{_i(spec.get('minReadySeconds'))}\n")
    rolling = strategy.get("rollingUpdate")
    if isinstance(rolling, dict):
        w.write(0, f"RollingUpdateStrategy:\t{_intstr(rolling.get('maxUnavailable'))} max unavailable, "
                   f"{_intstr(rolling.get('maxSurge'))} max surge\n")
    describe_pod_template(spec.get("template"), w)
    _conditions(status, w)
    news = [new] if new is not None else []
    if old or news:
        w.write(0, f"OldReplicaSets:\t{_replica_sets_text(old)}\n")
        w.write(0, f"NewReplicaSet:\t{_replica_sets_text(news)}\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def _conditions(status: dict, w: PrefixWriter) -> None:
    conditions = [c for c in status.get("conditions") or () if isinstance(c, dict)]
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for condition in conditions:
            w.write(1, f"{_s(condition.get('type'))} \t{_s(condition.get('status'))}\t{_s(condition.get('reason'))}\n")


def _replica_sets_text(replica_sets: list[dict]) -> str:
    shown = [f"{_s((rs.get('metadata') or {}).get('name'))} ({_i((rs.get('status') or {}).get('replicas'))}/"
             f"{_i((rs.get('spec') or {}).get('replicas'))} replicas created)" for rs in replica_sets]
    return ", ".join(shown) or "<none>"


def _created_before(a: dict, b: dict) -> bool:
    """`ReplicaSetsByCreationTimestamp`: older first, then by name."""
    a_meta, b_meta = a.get("metadata") or {}, b.get("metadata") or {}
    a_time = parse_timestamp(a_meta.get("creationTimestamp"))
    b_time = parse_timestamp(b_meta.get("creationTimestamp"))
    if a_time == b_time:
        return _s(a_meta.get("name")) < _s(b_meta.get("name"))
    if a_time is None or b_time is None:
        return a_time is None
    return a_time < b_time


def _without_hash(template: object) -> object:
    """The template with its `pod-template-hash` label set aside and empty values dropped, as
    `EqualIgnoreHash` compares them (an empty map equals a missing one)."""
    if not isinstance(template, dict):
        return _pruned(template)
    copy = dict(template)
    meta = dict(copy.get("metadata") or {})
    labels = dict(meta.get("labels") or {})
    labels.pop(HASH_LABEL, None)
    meta["labels"] = labels
    copy["metadata"] = meta
    return _pruned(copy)


def _pruned(value: object) -> object:
    if isinstance(value, dict):
        pruned = {key: _pruned(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in (None, {}, [])}
    if isinstance(value, list):
        return [_pruned(item) for item in value]
    return value


def _intstr(value: object) -> str:
    return "" if value is None else go_value(value)


def _s(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else go_value(value)


def _i(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
