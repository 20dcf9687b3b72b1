"""What ``kubectl get pods -o wide`` shows for one pod: READY, STATUS, RESTARTS, AGE, IP...

A port of kube-apiserver's ``printPod`` (pkg/printers/internalversion/printers.go, v1.32+:
native sidecars, SchedulingGated, terminal phases not shown as Terminating), working on the
plain JSON dict of a v1 Pod. Key decisions: ``now`` is always passed in (the clock is never
read here), and the two time-dependent cells are kept re-renderable from the stored
``created``/``last_restart`` instants so a UI can tick every second without re-walking pods.
"""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass, replace
from datetime import datetime

from kubetui.model.durations import parse_timestamp, time_since

__all__ = [
    "POD_COLUMNS",
    "POD_WIDE_COLUMNS",
    "PodRow",
    "age_text",
    "pod_row",
    "restarts_text",
    "with_time",
]

POD_COLUMNS = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
POD_WIDE_COLUMNS = POD_COLUMNS + ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]

_NONE = "<none>"
_EMPTY: dict = {}
_TERMINAL_PHASES = ("Succeeded", "Failed")


@dataclass(frozen=True, slots=True)
class PodRow:
    """One pod as kubectl prints it, plus the raw values behind the time-dependent cells."""

    namespace: str
    name: str
    ready: str
    status: str
    restarts: str
    age: str
    ip: str
    node: str
    nominated_node: str
    readiness_gates: str
    restart_count: int
    created: datetime | None
    last_restart: datetime | None
    uid: str = ""  # which pod of that name (one recreated under the same name is another)

    def cells(self, wide: bool = False) -> list[str]:
        """The row's cells in ``POD_COLUMNS`` (or ``POD_WIDE_COLUMNS``) order."""
        cells = [self.name, self.ready, self.status, self.restarts, self.age]
        if wide:
            cells += [self.ip, self.node, self.nominated_node, self.readiness_gates]
        return cells


def pod_row(pod: dict, now: datetime) -> PodRow:
    """Compute kubectl's row for ``pod`` (a v1 Pod as parsed JSON) at the instant ``now``.

    Raises ``ValueError`` with the pod's name when the dict does not have the shape of a Pod
    (for example a list where an object belongs).
    """
    try:
        return _pod_row(pod, now)
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        raise ValueError(f"malformed pod {_describe(pod)}: {exc}") from exc


def with_time(row: PodRow, now: datetime) -> PodRow:
    """Re-render only AGE and RESTARTS at ``now``; returns ``row`` itself if nothing changed."""
    age = time_since(row.created, now)
    restarts = _restarts_text(row.restart_count, row.last_restart, now)
    if age == row.age and restarts == row.restarts:
        return row
    return replace(row, age=age, restarts=restarts)


def age_text(row: PodRow, now: datetime) -> str:
    """The AGE cell of ``row`` at ``now``."""
    return time_since(row.created, now)


def restarts_text(row: PodRow, now: datetime) -> str:
    """The RESTARTS cell of ``row`` at ``now``, e.g. ``3 (2m30s ago)``."""
    return _restarts_text(row.restart_count, row.last_restart, now)


def _restarts_text(count: int, last_restart: datetime | None, now: datetime) -> str:
    if count == 0 or last_restart is None:
        return str(count)
    return f"{count} ({time_since(last_restart, now)} ago)"


def _finished_at(container_status: dict) -> datetime | None:
    """``lastState.terminated.finishedAt``; a missing time is Go's zero time (None)."""
    last_state = container_status.get("lastState")
    if not last_state:
        return None
    terminated = last_state.get("terminated")
    if terminated is None:
        return None
    return parse_timestamp(terminated.get("finishedAt"))


def _pod_row(pod: dict, now: datetime) -> PodRow:
    metadata = pod.get("metadata") or _EMPTY
    spec = pod.get("spec") or _EMPTY
    status = pod.get("status") or _EMPTY

    phase = status.get("phase") or ""
    pod_reason = status.get("reason") or ""
    reason = pod_reason or phase

    # One pass over the conditions collects everything the printer asks of them.
    conditions = status.get("conditions") or ()
    initialized_true = None  # only the first Initialized condition counts
    ready_true = False  # any Ready=True condition counts
    for condition in conditions:
        kind = condition.get("type")
        if kind == "PodScheduled":
            if condition.get("reason") == "SchedulingGated":
                reason = "SchedulingGated"
        elif kind == "Ready":
            if condition.get("status") == "True":
                ready_true = True
        elif kind == "Initialized" and initialized_true is None:
            initialized_true = condition.get("status") == "True"

    init_specs = spec.get("initContainers") or ()
    total = len(spec.get("containers") or ())
    sidecar_by_name: dict = {}
    for container in init_specs:
        # Like upstream's name -> container map, a repeated name keeps the last entry.
        is_sidecar = container.get("restartPolicy") == "Always"
        sidecar_by_name[container.get("name") or ""] = is_sidecar
        if is_sidecar:
            total += 1

    ready = 0
    restarts = 0
    last_restart: datetime | None = None
    sidecar_restarts = 0
    sidecar_last_restart: datetime | None = None
    initializing = False
    for index, container_status in enumerate(status.get("initContainerStatuses") or ()):
        count = container_status.get("restartCount") or 0
        restarts += count
        finished = _finished_at(container_status)
        if finished is not None and (last_restart is None or finished > last_restart):
            last_restart = finished
        is_sidecar = sidecar_by_name.get(container_status.get("name") or "", False)
        if is_sidecar:
            sidecar_restarts += count
            if finished is not None and (
                sidecar_last_restart is None or finished > sidecar_last_restart
            ):
                sidecar_last_restart = finished

        state = container_status.get("state") or _EMPTY
        terminated = state.get("terminated")
        if terminated is not None and (terminated.get("exitCode") or 0) == 0:
            continue  # finished successfully (sidecars too): neither ready nor blocking
        if is_sidecar and container_status.get("started") is True:
            if container_status.get("ready"):
                ready += 1
            continue
        if terminated is not None:
            terminated_reason = terminated.get("reason") or ""
            if terminated_reason:
                reason = "Init:" + terminated_reason
            elif terminated.get("signal") or 0:
                reason = f"Init:Signal:{terminated['signal']}"
            else:
                reason = f"Init:ExitCode:{terminated.get('exitCode') or 0}"
        else:
            waiting = state.get("waiting")
            waiting_reason = (waiting.get("reason") or "") if waiting is not None else ""
            if waiting_reason and waiting_reason != "PodInitializing":
                reason = "Init:" + waiting_reason
            else:
                reason = f"Init:{index}/{len(init_specs)}"
        initializing = True
        break

    if not initializing or initialized_true:
        restarts = sidecar_restarts  # ordinary init containers stop counting
        last_restart = sidecar_last_restart
        has_running = False
        for container_status in reversed(status.get("containerStatuses") or ()):
            restarts += container_status.get("restartCount") or 0
            finished = _finished_at(container_status)
            if finished is not None and (last_restart is None or finished > last_restart):
                last_restart = finished
            # Walking backwards lets the lowest-index container decide the reason.
            state = container_status.get("state") or _EMPTY
            waiting = state.get("waiting")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
                continue
            terminated = state.get("terminated")
            if terminated is not None:
                if terminated.get("reason"):
                    reason = terminated["reason"]
                elif terminated.get("signal") or 0:
                    reason = f"Signal:{terminated['signal']}"
                else:
                    reason = f"ExitCode:{terminated.get('exitCode') or 0}"
            elif container_status.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if ready_true else "NotReady"

    if metadata.get("deletionTimestamp") is not None:
        if pod_reason == "NodeLost":
            reason = "Unknown"
        elif phase not in _TERMINAL_PHASES:
            reason = "Terminating"

    created = parse_timestamp(metadata.get("creationTimestamp"))

    return PodRow(
        namespace=metadata.get("namespace") or "",
        name=metadata.get("name") or "",
        ready=f"{ready}/{total}",
        status=reason,
        restarts=_restarts_text(restarts, last_restart, now),
        age=time_since(created, now),
        ip=_pod_ip(status),
        node=spec.get("nodeName") or _NONE,
        nominated_node=status.get("nominatedNodeName") or _NONE,
        readiness_gates=_readiness_gates(spec, conditions),
        restart_count=restarts,
        created=created,
        last_restart=last_restart,
        uid=metadata.get("uid") or "",
    )


def _pod_ip(status: dict) -> str:
    # The v1 -> internal conversion makes podIP authoritative and falls back to podIPs[0].
    ip = status.get("podIP")
    if ip:
        return ip
    pod_ips = status.get("podIPs")
    if pod_ips:
        return pod_ips[0].get("ip") or _NONE
    return _NONE


def _readiness_gates(spec: dict, conditions) -> str:
    gates = spec.get("readinessGates")
    if not gates:
        return _NONE
    satisfied = 0
    for gate in gates:
        wanted = gate.get("conditionType")
        for condition in conditions:
            if condition.get("type") == wanted:  # only the first matching condition counts
                if condition.get("status") == "True":
                    satisfied += 1
                break
    return f"{satisfied}/{len(gates)}"


def _describe(pod: Any) -> str:
    try:
        metadata = pod.get("metadata") or _EMPTY  # type: ignore[union-attr]
        return f"{metadata.get('namespace') or ''}/{metadata.get('name') or '<unnamed>'}"
    except AttributeError:
        return f"(not an object: {type(pod).__name__})"
