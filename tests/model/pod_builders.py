"""Small builders for v1 Pod JSON dicts with a status (on `tests.support.pods`), so the
table-driven pod tests stay readable.

Every time is given as "seconds before NOW", NOW being the fixed instant all model tests
render at.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.support.pods import container, pod_manifest

NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc)


def ago(seconds: float) -> str:
    """RFC 3339 text for the instant ``seconds`` before NOW (negative: in the future)."""
    return (NOW - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def terminated(reason: str = "", exit_code: int = 0, signal: int = 0) -> dict:
    body: dict = {"exitCode": exit_code}
    if reason:
        body["reason"] = reason
    if signal:
        body["signal"] = signal
    return {"terminated": body}


def waiting(reason: str = "") -> dict:
    return {"waiting": {"reason": reason} if reason else {}}


RUNNING = {"running": {}}


def status(
    name: str = "",
    *,
    state: dict | None = None,
    ready: bool = False,
    restarts: int = 0,
    finished_ago: float | None = None,
    started: bool | None = None,
) -> dict:
    """A containerStatus; ``finished_ago`` sets lastState.terminated.finishedAt."""
    body: dict = {"name": name, "ready": ready, "restartCount": restarts, "state": state or {}}
    if finished_ago is not None:
        body["lastState"] = {"terminated": {"exitCode": 1, "finishedAt": ago(finished_ago)}}
    if started is not None:
        body["started"] = started
    return body


def sidecar(name: str) -> dict:
    return {"name": name, "image": "sidecar", "restartPolicy": "Always"}


def init(name: str) -> dict:
    return container(name, "init")


def condition(kind: str, state: str = "True", reason: str = "") -> dict:
    body = {"type": kind, "status": state}
    if reason:
        body["reason"] = reason
    return body


def pod(
    *,
    name: str = "p",
    namespace: str = "default",
    containers: int | list[dict] = 1,
    init_containers: list[dict] | None = None,
    phase: str | None = "Running",
    reason: str = "",
    statuses: list[dict] | None = None,
    init_statuses: list[dict] | None = None,
    conditions: list[dict] | None = None,
    created_ago: float | None = None,
    deleted: bool = False,
    node: str = "",
    nominated_node: str = "",
    pod_ip: str = "",
    pod_ips: list[str] | None = None,
    readiness_gates: list[str] | None = None,
) -> dict:
    if isinstance(containers, int):
        containers = [container(f"c{i}", "app") for i in range(containers)]
    metadata: dict = {}
    if created_ago is not None:
        metadata["creationTimestamp"] = ago(created_ago)
    if deleted:
        metadata["deletionTimestamp"] = ago(10)
    spec: dict = {"containers": containers}
    if init_containers is not None:
        spec["initContainers"] = init_containers
    if readiness_gates is not None:
        spec["readinessGates"] = [{"conditionType": kind} for kind in readiness_gates]
    pod_status: dict = {}
    for key, value in (
        ("phase", phase),
        ("reason", reason),
        ("containerStatuses", statuses),
        ("initContainerStatuses", init_statuses),
        ("conditions", conditions),
        ("nominatedNodeName", nominated_node),
        ("podIP", pod_ip),
    ):
        if value:
            pod_status[key] = value
    if pod_ips is not None:
        pod_status["podIPs"] = [{"ip": ip} for ip in pod_ips]
    return pod_manifest(name, namespace=namespace, node=node or None, metadata=metadata, status=pod_status, **spec)
