"""The Deployment controller: one ReplicaSet per pod template, rolled by the chosen strategy.

Key decision: the ReplicaSet for the current template is found by name, `<deployment>-<hash>`,
where the hash is a pure function of the template; going back to an earlier template therefore
finds (and revives) the earlier ReplicaSet, which is what makes `kubectl rollout undo` work.
Each reconcile makes one step of the rollout (rollout.py), then recomputes the status from the
ReplicaSets' statuses (deployment_status.py); ReplicaSet status changes trigger the next step.
"""

from __future__ import annotations

import asyncio
import copy
import logging

from kubetui.localcluster.storage.changes import DELETED
from kubetui.localcluster.apimachinery.clock import Clock, utc_now
from kubetui.localcluster.controllers import deployment_status, rollout
from kubetui.localcluster.controllers.naming import (
    POD_TEMPLATE_HASH, TemplateHashes, controller_reference, is_controlled_by, is_terminating,
    owner_reference, selects_something, with_controller)
from kubetui.localcluster.controllers.ownership import ControllerIndex
from kubetui.localcluster.controllers.workqueue import ReconcileQueue
from kubetui.localcluster.storage.events import NORMAL, EventRecorder, object_reference
from kubetui.model.label_selectors import selector_from_spec

log = logging.getLogger(__name__)

MANAGER = "deployment-controller"
REVISION = "deployment.kubernetes.io/revision"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
# Annotations a Deployment does not pass on to its ReplicaSets (upstream skipCopyAnnotation).
_NOT_COPIED = {"kubectl.kubernetes.io/last-applied-configuration", REVISION,
               "deployment.kubernetes.io/revision-history", DESIRED_REPLICAS, MAX_REPLICAS}
DEFAULT_HISTORY_LIMIT = 10


class DeploymentController:
    def __init__(self, store, loop: asyncio.AbstractEventLoop, *, now: Clock = utc_now,
                 recorder: EventRecorder | None = None) -> None:
        self._store = store
        self._now = now
        self._recorder = recorder
        self._replica_sets = ControllerIndex(store, "replicasets")
        self._hashes = TemplateHashes()
        self.queue = ReconcileQueue(loop, self.reconcile, "deployment-controller")

    def start(self) -> None:
        self._replica_sets.start()
        self._store.add_listener(self.on_event)
        items, _ = self._store.list("deployments")
        for deployment in items:
            self.queue.add(_key(deployment))

    def stop(self) -> None:
        self.queue.stop()
        self._replica_sets.stop()

    def on_event(self, event_type: str, plural: str, obj: dict) -> None:
        if plural == "deployments":
            if event_type == DELETED:
                self._hashes.forget(obj)
            self.queue.add(_key(obj))
        elif plural == "replicasets":
            ref = controller_reference(obj)
            if ref is not None and ref.get("kind") == "Deployment":
                self.queue.add((obj["metadata"].get("namespace"), ref.get("name")))

    def reconcile(self, key: tuple[str, str]) -> float | None:
        namespace, name = key
        deployment = self._store.get("deployments", namespace, name)
        if deployment is None or is_terminating(deployment):
            return None
        owned = self._claim_replica_sets(deployment)
        template_hash = self._hashes.of(deployment)
        new_name = f"{name}-{template_hash}"
        new_rs = next((rs for rs in owned if rs["metadata"]["name"] == new_name), None)
        old = [rs for rs in owned if rs is not new_rs]
        event = None
        paused = bool(deployment["spec"].get("paused"))
        surge, unavailable = rollout.fenceposts(deployment)
        if new_rs is None and not paused:
            clash = self._store.get("replicasets", namespace, new_name)
            if clash is not None:
                return self._bump_collision_count(deployment)
            new_rs = self._create_replica_set(deployment, new_name, template_hash, old, surge)
            event = "created" if new_rs is not None else None
        elif new_rs is not None:
            new_rs = self._sync_revision(deployment, new_rs, old)
        if new_rs is not None:
            self._apply_plan(deployment, self._plan(deployment, new_rs, old, surge, unavailable,
                                                    paused), [new_rs, *old], surge)
            self._record_revision(deployment, new_rs)
        self._clean_history(deployment)
        return self._write_status(deployment, new_name, unavailable, event)

    def _claim_replica_sets(self, deployment: dict) -> list[dict]:
        """Owned ReplicaSets, after adopting orphans the selector matches (a Deployment deleted
        with --cascade=orphan and created again takes its ReplicaSets back) and releasing owned
        ones it no longer matches, like upstream ClaimReplicaSets."""
        selector = selector_from_spec(deployment["spec"].get("selector") or {})
        may_adopt = selects_something(deployment["spec"].get("selector"))
        owned = []
        for rs in self._replica_sets.claim_candidates(deployment):
            labels = rs["metadata"].get("labels") or {}
            if is_controlled_by(rs, deployment):
                if selector.matches(labels) or is_terminating(rs):
                    owned.append(rs)
                else:
                    self._store.update("replicasets", with_controller(rs, None), manager=MANAGER)
            elif (may_adopt and controller_reference(rs) is None and not is_terminating(rs)
                  and selector.matches(labels)):
                ref = owner_reference(deployment, api_version="apps/v1", kind="Deployment")
                owned.append(self._store.update("replicasets", with_controller(rs, ref),
                                                manager=MANAGER))
        return owned

    def _plan(self, deployment, new_rs, old, surge, unavailable, paused) -> dict[str, int]:
        desired = rollout.desired_replicas(deployment)
        if paused:
            # A paused rollout only follows scaling, and only when one ReplicaSet is active.
            active = [rs for rs in [new_rs, *old] if rollout.spec_replicas(rs) > 0] or [new_rs]
            if len(active) == 1 and rollout.spec_replicas(active[0]) != desired:
                return {active[0]["metadata"]["name"]: desired}
            return {}
        if ((deployment["spec"].get("strategy") or {}).get("type")) == "Recreate":
            return rollout.plan_recreate(desired, new_rs, old)
        return rollout.plan_rolling(desired, surge, unavailable, new_rs, old)

    def _create_replica_set(self, deployment: dict, name: str, template_hash: str,
                            old: list[dict], surge: int) -> dict | None:
        meta = deployment["metadata"]
        spec = deployment["spec"]
        template = copy.deepcopy(spec.get("template") or {})
        template.setdefault("metadata", {})
        template["metadata"]["labels"] = {**(template["metadata"].get("labels") or {}),
                                          POD_TEMPLATE_HASH: template_hash}
        selector = copy.deepcopy(spec.get("selector") or {})
        selector["matchLabels"] = {**(selector.get("matchLabels") or {}),
                                   POD_TEMPLATE_HASH: template_hash}
        desired = rollout.desired_replicas(deployment)
        annotations = _copied_annotations(deployment)
        annotations[REVISION] = str(_max_revision(old) + 1)
        annotations[DESIRED_REPLICAS] = str(desired)
        annotations[MAX_REPLICAS] = str(desired + surge)
        replica_set = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": name,
                "namespace": meta.get("namespace"),
                "labels": dict(template["metadata"]["labels"]),
                "annotations": annotations,
                "ownerReferences": [
                    owner_reference(deployment, api_version="apps/v1", kind="Deployment")],
            },
            "spec": {"replicas": 0, "minReadySeconds": int(spec.get("minReadySeconds") or 0),
                     "selector": selector, "template": template},
        }
        try:
            return self._store.create("replicasets", replica_set, manager=MANAGER)
        except Exception as error:  # e.g. an invalid template: visible in the logs, retried
            log.warning("deployment %s/%s: cannot create replica set %s: %s",
                        meta.get("namespace"), meta["name"], name, error)
            raise

    def _sync_revision(self, deployment: dict, new_rs: dict, old: list[dict]) -> dict:
        """An existing ReplicaSet becoming current again (rollback) gets the next revision."""
        annotations = new_rs["metadata"].get("annotations") or {}
        wanted = _max_revision(old) + 1
        current = _revision(new_rs)
        min_ready = int(deployment["spec"].get("minReadySeconds") or 0)
        if current >= wanted and new_rs["spec"].get("minReadySeconds", 0) == min_ready:
            return new_rs
        changed = copy.deepcopy(new_rs)
        changed["metadata"]["annotations"] = {
            **annotations, REVISION: str(max(current, wanted))}
        changed["spec"]["minReadySeconds"] = min_ready
        return self._store.update("replicasets", changed, manager=MANAGER) or changed

    def _apply_plan(self, deployment: dict, plan: dict[str, int], replica_sets: list[dict],
                    surge: int) -> None:
        desired = rollout.desired_replicas(deployment)
        for rs in replica_sets:
            name = rs["metadata"]["name"]
            if name not in plan:
                continue
            changed = copy.deepcopy(self._store.get("replicasets", rs["metadata"]["namespace"],
                                                    name) or rs)
            before = rollout.spec_replicas(changed)
            changed["spec"]["replicas"] = plan[name]
            annotations = changed["metadata"].setdefault("annotations", {})
            annotations[DESIRED_REPLICAS] = str(desired)
            annotations[MAX_REPLICAS] = str(desired + surge)
            self._store.update("replicasets", changed, manager=MANAGER)
            if self._recorder is not None:
                direction = "up" if plan[name] > before else "down"
                self._recorder.legacy_event(
                    object_reference(deployment), NORMAL, "ScalingReplicaSet",
                    f"Scaled {direction} replica set {name} from {before} to {plan[name]}",
                    component=MANAGER)

    def _record_revision(self, deployment: dict, new_rs: dict) -> None:
        revision = (new_rs["metadata"].get("annotations") or {}).get(REVISION)
        annotations = deployment["metadata"].get("annotations") or {}
        if revision is None or annotations.get(REVISION) == revision:
            return
        changed = copy.deepcopy(deployment)
        changed["metadata"]["annotations"] = {**annotations, REVISION: revision}
        self._store.update("deployments", changed, manager=MANAGER)

    def _clean_history(self, deployment: dict) -> None:
        limit = deployment["spec"].get("revisionHistoryLimit", DEFAULT_HISTORY_LIMIT)
        if limit is None:
            return
        owned = self._replica_sets.controlled_by(deployment)
        current = max(owned, key=_revision, default=None)
        idle = [rs for rs in owned if rs is not current and rollout.spec_replicas(rs) == 0
                and rollout.status_count(rs, "replicas") == 0 and not is_terminating(rs)]
        idle.sort(key=_revision)
        for rs in idle[: max(len(idle) - int(limit), 0)]:
            try:
                self._store.delete("replicasets", rs["metadata"]["namespace"],
                                   rs["metadata"]["name"])
            except Exception as error:  # already gone
                log.debug("history cleanup of %s: %s", rs["metadata"]["name"], error)

    def _write_status(self, deployment: dict, new_name: str, unavailable: int,
                      event: str | None) -> float | None:
        meta = deployment["metadata"]
        fresh = self._store.get("deployments", meta.get("namespace"), meta["name"])
        if fresh is None:
            return None
        owned = self._replica_sets.controlled_by(fresh)
        new_rs = next((rs for rs in owned if rs["metadata"]["name"] == new_name), None)
        status, again_after = deployment_status.compute_status(
            fresh, new_rs, owned, unavailable, self._now(), event)
        if status != (fresh.get("status") or {}):
            self._store.write_status("deployments", fresh, status, manager=MANAGER)
        return again_after

    def _bump_collision_count(self, deployment: dict) -> float:
        status = dict(deployment.get("status") or {})
        status["collisionCount"] = int(status.get("collisionCount") or 0) + 1
        self._store.write_status("deployments", deployment, status, manager=MANAGER)
        return 0.0


def _copied_annotations(deployment: dict) -> dict:
    return {k: v for k, v in (deployment["metadata"].get("annotations") or {}).items()
            if k not in _NOT_COPIED}


def _revision(rs: dict) -> int:
    try:
        return int((rs["metadata"].get("annotations") or {}).get(REVISION, 0))
    except (TypeError, ValueError):
        return 0


def _max_revision(replica_sets: list[dict]) -> int:
    return max((_revision(rs) for rs in replica_sets), default=0)


def _key(obj: dict) -> tuple[str, str]:
    return obj["metadata"].get("namespace"), obj["metadata"]["name"]
