"""A pod's containers one per row: init containers, native sidecars, containers, ephemeral ones.

Key decisions: the rows follow the pod spec's order (init containers in order, sidecars where
they stand among them, then the app containers, then debug containers), each joined with its
status by name; the state reads as `kubectl describe` words it (`Running`, `Waiting:
CrashLoopBackOff`, `Terminated: Completed (exit 0)`), and the last termination keeps its instant
so "5m ago" ticks without a request. Pure: `now` is a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kubetui.model.durations import parse_timestamp, time_since

__all__ = ["CONTAINER_COLUMNS", "ContainerRow", "container_rows", "last_termination_text"]

CONTAINER_COLUMNS = ("TYPE", "NAME", "IMAGE", "READY", "STATE", "RESTARTS", "LAST TERMINATION", "PORTS")


@dataclass(frozen=True)
class ContainerRow:
    kind: str  # "init", "sidecar", "container" or "ephemeral"
    name: str
    image: str
    ready: str  # "true", "false", or "" before the kubelet reported the container
    state: str
    restarts: int
    last_reason: str = ""
    last_exit_code: int | None = None
    last_signal: int | None = None
    last_finished: datetime | None = None
    ports: str = ""

    def cells(self, now: datetime) -> list[str]:
        """The row's cells in `CONTAINER_COLUMNS` order at ``now``."""
        return [self.kind, self.name, self.image, self.ready or "-", self.state, str(self.restarts),
                last_termination_text(self, now), self.ports or "-"]


def last_termination_text(row: ContainerRow, now: datetime) -> str:
    """`Error, exit 1, 5m ago`, or `-` when the container never terminated before."""
    if not row.last_reason and row.last_exit_code is None and row.last_finished is None:
        return "-"
    parts = [row.last_reason or "Terminated"]
    if row.last_signal:
        parts.append(f"signal {row.last_signal}")
    elif row.last_exit_code is not None:
        parts.append(f"exit {row.last_exit_code}")
    if row.last_finished is not None:
        parts.append(f"{time_since(row.last_finished, now)} ago")
    return ", ".join(parts)


def container_rows(pod: dict) -> list[ContainerRow]:
    """Every container of ``pod`` (a v1 Pod as plain JSON), in the order described above."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    rows = []
    init_statuses = _by_name(status.get("initContainerStatuses"))
    for container in spec.get("initContainers") or ():
        kind = "sidecar" if container.get("restartPolicy") == "Always" else "init"
        rows.append(_row(kind, container, init_statuses.get(container.get("name"))))
    statuses = _by_name(status.get("containerStatuses"))
    for container in spec.get("containers") or ():
        rows.append(_row("container", container, statuses.get(container.get("name"))))
    ephemeral = _by_name(status.get("ephemeralContainerStatuses"))
    for container in spec.get("ephemeralContainers") or ():
        rows.append(_row("ephemeral", container, ephemeral.get(container.get("name"))))
    return rows


def _by_name(statuses) -> dict:
    return {entry.get("name"): entry for entry in statuses or () if isinstance(entry, dict)}


def _row(kind: str, container: dict, status: dict | None) -> ContainerRow:
    status = status or {}
    last = ((status.get("lastState") or {}).get("terminated")) or {}
    return ContainerRow(
        kind=kind, name=str(container.get("name") or ""),
        image=str(container.get("image") or ""),
        ready=("true" if status.get("ready") else "false") if status else "",
        state=state_text(status.get("state")),
        restarts=int(status.get("restartCount") or 0),
        last_reason=str(last.get("reason") or ""),
        last_exit_code=last.get("exitCode") if isinstance(last.get("exitCode"), int) else None,
        last_signal=last.get("signal") if isinstance(last.get("signal"), int) else None,
        last_finished=parse_timestamp(last.get("finishedAt")),
        ports=_ports(container.get("ports")),
    )


def state_text(state: dict | None) -> str:
    """`Running`, `Waiting: ContainerCreating`, `Terminated: Error (exit 1)`; `Waiting` with no status."""
    state = state or {}
    if "running" in state:
        return "Running"
    if "terminated" in state:
        terminated = state["terminated"] or {}
        reason = terminated.get("reason") or "Terminated"
        if terminated.get("signal"):
            return f"Terminated: {reason} (signal {terminated['signal']})"
        return f"Terminated: {reason} (exit {terminated.get('exitCode', 0)})"
    if "waiting" in state:
        reason = (state["waiting"] or {}).get("reason")
        return f"Waiting: {reason}" if reason else "Waiting"
    return "Waiting"


def _ports(ports) -> str:
    texts = []
    for port in ports or ():
        if not isinstance(port, dict) or port.get("containerPort") is None:
            continue
        text = f"{port['containerPort']}/{port.get('protocol') or 'TCP'}"
        texts.append(f"{port['name']}:{text}" if port.get("name") else text)
    return ",".join(texts)
