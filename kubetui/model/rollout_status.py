"""What `kubectl rollout status` says about a Deployment, DaemonSet or StatefulSet: a pure
port of kubectl's status viewers (polymorphichelpers/rollout_status.go), words included.

`rollout_status(obj)` returns (the line kubectl prints, whether the rollout is done); a kind
without a viewer, or a rollout that cannot finish, raises ValueError with kubectl's words.
"""

from __future__ import annotations

__all__ = ["rollout_status"]

PROGRESS_DEADLINE = "ProgressDeadlineExceeded"


def rollout_status(obj: dict) -> tuple[str, bool]:
    kind = obj.get("kind", "")
    viewer = {"Deployment": _deployment, "DaemonSet": _daemon_set, "StatefulSet": _stateful_set}.get(kind)
    if viewer is None:
        group = str(obj.get("apiVersion", "")).rpartition("/")[0]
        raise ValueError(f"no status viewer has been implemented for {kind}{'.' + group if group else ''}")
    return viewer(obj)


def _parts(obj: dict) -> tuple[str, int, dict, dict]:
    meta = obj.get("metadata") or {}
    return str(meta.get("name", "")), int(meta.get("generation") or 0), obj.get("spec") or {}, obj.get("status") or {}


def _deployment(obj: dict) -> tuple[str, bool]:
    name, generation, spec, status = _parts(obj)
    if generation > int(status.get("observedGeneration") or 0):
        return "Waiting for deployment spec update to be observed...", False
    for condition in status.get("conditions") or ():
        if condition.get("type") == "Progressing" and condition.get("reason") == PROGRESS_DEADLINE:
            raise ValueError(f'deployment "{name}" exceeded its progress deadline')
    replicas = spec.get("replicas")
    updated = int(status.get("updatedReplicas") or 0)
    total = int(status.get("replicas") or 0)
    available = int(status.get("availableReplicas") or 0)
    if replicas is not None and updated < replicas:
        return (f'Waiting for deployment "{name}" rollout to finish: {updated} out of {replicas} new replicas '
                "have been updated..."), False
    if total > updated:
        return (f'Waiting for deployment "{name}" rollout to finish: {total - updated} old replicas are pending '
                "termination..."), False
    if available < updated:
        return (f'Waiting for deployment "{name}" rollout to finish: {available} of {updated} updated replicas '
                "are available..."), False
    return f'deployment "{name}" successfully rolled out', True


def _daemon_set(obj: dict) -> tuple[str, bool]:
    name, generation, spec, status = _parts(obj)
    if ((spec.get("updateStrategy") or {}).get("type") or "RollingUpdate") != "RollingUpdate":
        raise ValueError("rollout status is only available for RollingUpdate strategy type")
    if generation > int(status.get("observedGeneration") or 0):
        return "Waiting for daemon set spec update to be observed...", False
    desired = int(status.get("desiredNumberScheduled") or 0)
    updated = int(status.get("updatedNumberScheduled") or 0)
    available = int(status.get("numberAvailable") or 0)
    if updated < desired:
        return (f'Waiting for daemon set "{name}" rollout to finish: {updated} out of {desired} new pods have '
                "been updated..."), False
    if available < desired:
        return f'Waiting for daemon set "{name}" rollout to finish: {available} of {desired} updated pods are ' \
               "available...", False
    return f'daemon set "{name}" successfully rolled out', True


def _stateful_set(obj: dict) -> tuple[str, bool]:
    name, generation, spec, status = _parts(obj)
    strategy = spec.get("updateStrategy") or {}
    if (strategy.get("type") or "RollingUpdate") != "RollingUpdate":
        raise ValueError("rollout status is only available for RollingUpdate strategy type")
    observed = int(status.get("observedGeneration") or 0)
    if observed == 0 or generation > observed:
        return "Waiting for statefulset spec update to be observed...", False
    replicas = spec.get("replicas")
    ready = int(status.get("readyReplicas") or 0)
    updated = int(status.get("updatedReplicas") or 0)
    if replicas is not None and ready < replicas:
        return f"Waiting for {replicas - ready} pods to be ready...", False
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        partition = rolling.get("partition")
        if replicas is not None and partition is not None and updated < replicas - partition:
            return (f"Waiting for partitioned roll out to finish: {updated} out of {replicas - partition} new pods "
                    "have been updated..."), False
        return f"partitioned roll out complete: {updated} new pods have been updated...", True
    if status.get("updateRevision") != status.get("currentRevision"):
        return (f"waiting for statefulset rolling update to complete {updated} pods at revision "
                f"{status.get('updateRevision')}..."), False
    return (f"statefulset rolling update complete {int(status.get('currentReplicas') or 0)} pods at revision "
            f"{status.get('currentRevision')}..."), True
