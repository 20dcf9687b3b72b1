"""Pod and container statuses the way the kubelet reports them.

Key decisions: `ContainerRecord` is the kubelet's own view of one container (mutable, updated by
the pod worker); everything that becomes JSON is derived from it by pure functions here:
container statuses (containerID `containerd://…`, imageID, started/ready, state and lastState
with exit codes and times), the phase (a port of the kubelet's `getPhase`, sidecars included)
and the five conditions with transition times that only move when a status flips.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

WAITING, RUNNING, TERMINATED = "waiting", "running", "terminated"
EPOCH = "1970-01-01T00:00:00Z"
CONDITION_ORDER = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                   "PodScheduled")


def container_id(pod_uid: str, name: str, attempt: int) -> str:
    """A stable, unique `containerd://<64 hex>` per container instance."""
    digest = hashlib.sha256(f"{pod_uid}/{name}/{attempt}".encode()).hexdigest()
    return f"containerd://{digest}"


@dataclass
class ContainerRecord:
    """The kubelet's knowledge of one container of a pod."""

    name: str
    image: str                       # as written in the spec
    init: bool = False
    sidecar: bool = False            # an init container with restartPolicy Always
    ephemeral: bool = False          # added by `kubectl debug`: never restarted
    state: str = WAITING
    reason: str = ""                 # waiting reason, or the terminated reason
    message: str = ""
    started_at: str = ""
    finished_at: str = ""
    exit_code: int = 0
    container_id: str = ""
    image_ref: str = ""              # what the runtime reports once pulled: docker.io/library/…
    image_id: str = ""
    restart_count: int = 0
    last_terminated: dict | None = None
    ready: bool = False
    started: bool = False
    volume_mounts: list = field(default_factory=list)

    # ---------------------------------------------------------------- changes
    def wait(self, reason: str, message: str = "") -> None:
        self.state, self.reason, self.message = WAITING, reason, message
        self.ready = self.started = False

    def run(self, container_id_: str, started_at: str, image_ref: str, image_id: str) -> None:
        if self.state == TERMINATED or (self.state == WAITING and self.container_id):
            self.keep_last()
        self.state, self.reason, self.message = RUNNING, "", ""
        self.container_id, self.started_at, self.finished_at = container_id_, started_at, ""
        self.image_ref, self.image_id, self.exit_code = image_ref, image_id, 0
        self.started = True

    def terminate(self, exit_code: int, finished_at: str, reason: str = "",
                  message: str = "") -> None:
        self.state = TERMINATED
        self.exit_code = exit_code
        self.reason = reason or ("Completed" if exit_code == 0 else "Error")
        self.message = message
        self.finished_at = finished_at
        self.ready = self.started = False

    def keep_last(self) -> None:
        """The current (terminated) instance becomes lastState before a restart."""
        if self.container_id:
            self.last_terminated = self.terminated_dict()

    def terminated_dict(self) -> dict:
        body: dict = {"exitCode": self.exit_code, "reason": self.reason}
        if self.message:
            body["message"] = self.message
        body["startedAt"] = self.started_at or EPOCH
        body["finishedAt"] = self.finished_at
        if self.container_id:
            body["containerID"] = self.container_id
        return body

    # ---------------------------------------------------------------- JSON
    def status(self) -> dict:
        if self.state == RUNNING:
            state: dict = {"running": {"startedAt": self.started_at}}
        elif self.state == TERMINATED:
            state = {"terminated": self.terminated_dict()}
        else:
            waiting: dict = {"reason": self.reason} if self.reason else {}
            if self.message:
                waiting["message"] = self.message
            state = {"waiting": waiting}
        body: dict = {
            "name": self.name, "state": state,
            "lastState": {"terminated": self.last_terminated} if self.last_terminated else {},
            "ready": self.ready and not self.ephemeral, "restartCount": self.restart_count,
            "image": self.image_ref or self.image, "imageID": self.image_id,
        }
        if self.container_id:
            body["containerID"] = self.container_id
        if not self.ephemeral:  # the probe manager, which sets it, knows only the pod's own
            body["started"] = self.started
        if self.container_id:
            body["user"] = {"linux": {"uid": 0, "gid": 0, "supplementalGroups": [0]}}
        if self.volume_mounts:
            body["volumeMounts"] = [dict(m) for m in self.volume_mounts]
        return body


def status_volume_mounts(container: dict) -> list[dict]:
    mounts = []
    for mount in container.get("volumeMounts") or []:
        if isinstance(mount, dict) and mount.get("name") and mount.get("mountPath"):
            entry = {"name": mount["name"], "mountPath": mount["mountPath"]}
            if mount.get("readOnly"):
                entry["readOnly"] = True
                entry["recursiveReadOnly"] = "Disabled"
            mounts.append(entry)
    return mounts


# ------------------------------------------------------------------------- phase
def pod_phase(spec: dict, inits: list[ContainerRecord], containers: list[ContainerRecord],
              pod_is_terminal: bool = False, pod_has_initialized: bool = False) -> str:
    """The kubelet's getPhase (pkg/kubelet/kubelet_pods.go), on our records."""
    pending_regular_init = pending_sidecars = failed_init = 0
    for record in inits:
        if record.sidecar:
            continue
        if record.state == RUNNING:
            pending_regular_init += 1
        elif record.state == TERMINATED:
            failed_init += record.exit_code != 0
        elif record.last_terminated is not None:
            failed_init += record.last_terminated.get("exitCode", 0) != 0
        else:
            pending_regular_init += 1
    running = waiting = stopped = succeeded = 0
    for record in inits:
        if not record.sidecar:
            continue
        if record.state == RUNNING:
            pending_sidecars += not record.started
            running += 1
        elif record.state == WAITING and record.last_terminated is None:
            pending_sidecars += 1
            waiting += 1
    for record in containers:
        if record.state == RUNNING:
            running += 1
        elif record.state == TERMINATED:
            stopped += 1
            succeeded += record.exit_code == 0
        elif record.last_terminated is not None:
            stopped += 1
        else:
            waiting += 1
    restart_policy = spec.get("restartPolicy") or "Always"
    if failed_init and restart_policy == "Never":
        return "Failed"
    if pending_regular_init or (pending_sidecars and not pod_has_initialized) or waiting:
        return "Pending"
    if running:
        return "Running"
    if stopped:
        if pod_is_terminal:
            return "Succeeded" if stopped == succeeded else "Failed"
        if restart_policy == "Always":
            return "Running"
        if stopped == succeeded:
            return "Succeeded"
        return "Failed" if restart_policy == "Never" else "Running"
    return "Pending"


# -------------------------------------------------------------------- conditions
def condition_values(inits: list[ContainerRecord], containers: list[ContainerRecord],
                     phase: str, sandbox_ready: bool) -> dict[str, tuple[str, str, str]]:
    """type -> (status, reason, message) as the kubelet's status generators compute them."""
    values: dict[str, tuple[str, str, str]] = {
        "PodReadyToStartContainers": ("True" if sandbox_ready else "False", "", "")}
    incomplete = [r.name for r in inits
                  if (r.sidecar and not r.started) or (not r.sidecar and not _finished_ok(r))]
    if not inits:
        values["Initialized"] = ("True", "", "")
    elif phase == "Succeeded":
        values["Initialized"] = ("True", "PodCompleted", "")
    elif any(r.state in (RUNNING, TERMINATED) for r in containers):
        values["Initialized"] = ("True", "", "")  # initialized before; sidecars may restart
    elif incomplete:
        values["Initialized"] = ("False", "ContainersNotInitialized",
                                 f"containers with incomplete status: [{' '.join(incomplete)}]")
    else:
        values["Initialized"] = ("True", "", "")
    if phase == "Succeeded":
        ready = ("False", "PodCompleted", "")
    else:
        unready = [r.name for r in inits if r.sidecar and not r.ready]
        unready += [r.name for r in containers if not r.ready]
        ready = ("True", "", "") if not unready else (
            "False", "ContainersNotReady", f"containers with unready status: [{' '.join(unready)}]")
    values["Ready"] = ready
    values["ContainersReady"] = ready
    return values


def _finished_ok(record: ContainerRecord) -> bool:
    return record.state == TERMINATED and record.exit_code == 0


def merge_conditions(current: list[dict], values: dict[str, tuple[str, str, str]], now: str,
                     generation: int | None = None) -> list[dict]:
    """New condition list: lastTransitionTime moves only for conditions whose status changed."""
    by_type = {c.get("type"): c for c in current if isinstance(c, dict)}
    merged = []
    for kind in CONDITION_ORDER:
        old = by_type.get(kind)
        if kind not in values:
            if old is not None:
                merged.append(old)
            continue
        status, reason, message = values[kind]
        condition: dict = {"type": kind}
        if generation is not None:
            condition["observedGeneration"] = generation
        condition["status"] = status
        condition["lastProbeTime"] = None
        condition["lastTransitionTime"] = (old.get("lastTransitionTime") if old
                                           and old.get("status") == status else now)
        if reason:
            condition["reason"] = reason
        if message:
            condition["message"] = message
        merged.append(condition)
    merged += [c for kind, c in by_type.items() if kind not in CONDITION_ORDER]
    return merged


def scheduled_condition(now: str) -> dict:
    return {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
            "lastTransitionTime": now}
