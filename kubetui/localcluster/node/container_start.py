"""Starting one container instance the way the kubelet does: image, config, create, start.

Key decisions: the events and waiting reasons are the kubelet's, word for word
(`Pulling image "nginx:1.16"`, `Successfully pulled image … in 1.739s (1.739s including
waiting). Image size: 44323542 bytes.`, ErrImagePull then ImagePullBackOff with its own per-pod
back-off, InvalidImageName with InspectFailed, CreateContainerConfigError). A failed attempt
leaves the container waiting and returns False; `retry_start` keeps trying on the kubelet's
rhythm until one succeeds.
"""

from __future__ import annotations

from kubetui.localcluster.node.container_env import ConfigError, container_env
from kubetui.localcluster.node.container_logs import ContainerLog
from kubetui.localcluster.storage.events import NORMAL, WARNING
from kubetui.localcluster.images.references import (
    InvalidImageName,
    default_pull_policy,
    go_duration,
    parse_image,
    pull_error,
    pull_failure_message,
    pull_seconds,
)
from kubetui.localcluster.node.container_slot import Slot
from kubetui.localcluster.node.pod_status import container_id
from kubetui.localcluster.node.pod_worker_state import PodWorkerState

RESYNC_SECONDS = 10.0        # how soon the kubelet tries again after a config or name error
REGISTRY_CHECK_SECONDS = 0.4  # pull policy Always on a present image: only the manifest
CREATE_SECONDS = 0.3          # the runtime creating the container (snapshot, mounts, cgroups)
# Kubernetes 1.35+ wording (older kubelets said "Created container: x" / "Started container x").
CREATED, STARTED = "Container created", "Container started"


async def attempt_start(worker: PodWorkerState, slot: Slot) -> bool:
    """One try at starting `slot`; True when an instance was created (even if it failed)."""
    record, image = slot.record, slot.record.image
    try:
        reference = parse_image(image)
    except InvalidImageName as problem:
        record.wait("InvalidImageName", str(problem))
        worker.event(WARNING, "InspectFailed", str(problem), slot)
        worker.event(WARNING, "Failed", "Error: InvalidImageName", slot)
        worker.mark()
        return False
    if not await _ensure_image(worker, slot, reference):
        return False
    try:
        env = container_env(worker.pod, slot.spec, _lookup(worker))
    except ConfigError as problem:
        record.wait("CreateContainerConfigError", str(problem))
        worker.event(WARNING, "Failed", f"Error: {problem}", slot)
        worker.mark()
        return False
    await worker.clock.sleep(CREATE_SECONDS)
    plan = worker.plan(slot, env)
    restart = slot.attempts > 0
    slot.attempts += 1
    slot.plan = plan
    worker.event(NORMAL, "Created", CREATED, slot)
    if restart:
        record.restart_count += 1
    identifier = container_id(worker.uid, slot.name, slot.attempts)
    if plan.start_error:
        record.container_id = identifier
        record.image_ref, record.image_id = reference.normalized, reference.image_id
        return True
    wall = worker.clock.wall_now()
    record.run(identifier, worker.wall_text(), reference.normalized, reference.image_id)
    worker.event(NORMAL, "Started", STARTED, slot)
    worker.claim_ports(slot, plan.ports)
    slot.started_sim = worker.now()
    slot.log = ContainerLog(identifier, plan, wall, worker.clock.time_scale)
    worker.kubelet.logbook.start(worker.uid, slot.name, slot.log)
    probe = slot.spec.get("readinessProbe")
    if isinstance(probe, dict):
        delay = float(probe.get("initialDelaySeconds") or 0) + 1.0
        worker.spawn(worker.ready_later(slot, delay, slot.attempts))
    else:
        record.ready = True
    slot.started.set()
    worker.mark()
    return True


async def retry_start(worker: PodWorkerState, slot: Slot) -> None:
    """Keep trying until the container starts: ImagePullBackOff waits, other errors resync."""
    while True:
        record = slot.record
        if record.reason == "ErrImagePull":
            await worker.clock.sleep(1.0)
            key = f"{worker.uid}/{record.image}"
            message = f'Back-off pulling image "{record.image}"'
            record.wait("ImagePullBackOff", f"{message}: ErrImagePull: {record.message}")
            worker.event(NORMAL, "BackOff", message, slot)
            worker.event(WARNING, "Failed", "Error: ImagePullBackOff", slot)
            worker.mark()
            await worker.clock.sleep(worker.kubelet.pull_backoff.remaining_since_update(
                key, worker.now()))
        else:
            await worker.clock.sleep(RESYNC_SECONDS)
        if await attempt_start(worker, slot):
            return


async def _ensure_image(worker: PodWorkerState, slot: Slot, reference) -> bool:
    record, image, node = slot.record, slot.record.image, worker.node
    policy = slot.spec.get("imagePullPolicy") or default_pull_policy(image)
    present = reference.normalized in node.images
    if policy == "Never" and not present:
        message = f'Container image "{image}" is not present with pull policy of Never'
        record.wait("ErrImageNeverPull", message)
        worker.event(WARNING, "ErrImageNeverPull", message, slot)
        worker.event(WARNING, "Failed", "Error: ErrImageNeverPull", slot)
        worker.mark()
        return False
    if present and policy != "Always":
        worker.event(NORMAL, "Pulled", f'Container image "{image}" already present on machine '
                                       "and can be accessed by the pod", slot)
        return True
    worker.event(NORMAL, "Pulling", f'Pulling image "{image}"', slot)
    asked = worker.now()
    async with node.pull_lock:
        began = worker.now()
        failure = pull_error(reference)
        present = reference.normalized in node.images  # pulled meanwhile: layers are local
        seconds = 1.0 if failure else (REGISTRY_CHECK_SECONDS if present else pull_seconds(reference))
        await worker.clock.sleep(seconds)
    if failure:
        message = pull_failure_message(image, reference) or failure
        worker.kubelet.pull_backoff.next(f"{worker.uid}/{image}", worker.now(), worker.now())
        worker.event(WARNING, "Failed", message, slot)
        worker.event(WARNING, "Failed", "Error: ErrImagePull", slot)
        record.wait("ErrImagePull", message.split(": ", 1)[1] if ": " in message else message)
        worker.mark()
        return False
    pulled, waited = worker.now() - began, worker.now() - asked
    worker.kubelet.image_pulled(node, reference.normalized, reference.size_bytes)
    worker.event(NORMAL, "Pulled", f'Successfully pulled image "{image}" in {go_duration(pulled)} '
                                   f"({go_duration(waited)} including waiting). Image size: "
                                   f"{reference.size_bytes} bytes.", slot)
    return True


def _lookup(worker: PodWorkerState):
    def lookup(plural: str, namespace: str, name: str) -> dict | None:
        try:
            return worker.store.get(plural, namespace, name)
        except Exception:  # a kind this server does not serve (secrets): not found
            return None
    return lookup
