"""Synthetic Deployments and ReplicaSets that own the synthetic pods (`--deployments`, `--replicasets`).

Key decisions:
* Every object is what the controllers would have written themselves: ReplicaSet names carry
  the Deployment controller's template hash, owner references carry the owner's uid with
  `controller: true`, and the statuses come from the controllers' own `compute_status`. When
  the ReplicaSet and Deployment controllers reconcile them they find nothing to change, and
  they keep the counts true afterwards as the churn flips readiness and replaces pods.
* Each Deployment owns one current ReplicaSet, which owns the Deployment's pods; the
  ReplicaSets beyond one per Deployment are earlier revisions scaled to zero, spread over
  the Deployments, as `kubectl get rs` shows on any cluster that has rolled out a few times.
  Without Deployments the ReplicaSets stand alone and share the pods.
* Like the pods, everything is stored through the store's bulk path (defaults written by the
  builders and the defaulters, one dry-run create of each kind checks they stay valid).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from kubetui.localcluster.registry import defaults
from kubetui.localcluster.apimachinery.clock import rfc3339
from kubetui.localcluster.controllers import deployment_status, replicaset, rollout
from kubetui.localcluster.controllers.deployment import DESIRED_REPLICAS, MAX_REPLICAS, REVISION
from kubetui.localcluster.controllers.naming import POD_TEMPLATE_HASH, owner_reference, pod_template_hash
from kubetui.localcluster.apimachinery.objectmeta import json_copy
from kubetui.localcluster.cluster.synthetic import (
    APPS,
    NODE_COUNT,
    SIDECARS,
    SYNTHETIC_LABEL,
    SYNTHETIC_NODE_PREFIX,
    TIERS,
    app_container,
    create_synthetic_pod,
    namespace_names,
    namespace_object,
    running_status,
    safe_text,
    sidecar_container,
)
from kubetui.localcluster.registry.tables import gc_paused

MANAGER = "kubetui-synthetic"
DEFAULT_HISTORY_LIMIT = 10


@dataclass(frozen=True)
class WorkloadPlan:
    """How many objects of each kind, and how the pods and old revisions are shared out."""

    pods: int
    deployments: int
    replicasets: int

    def check(self) -> None:
        for flag, value in (("--pods", self.pods), ("--deployments", self.deployments),
                            ("--replicasets", self.replicasets)):
            if value < 0:
                raise ValueError(f"{flag} must not be negative, not {value}")
        if self.deployments and self.replicasets < self.deployments:
            raise ValueError(f"--deployments {self.deployments} needs --replicasets {self.deployments} or more: "
                             "every Deployment owns its current ReplicaSet")

    @property
    def owners(self) -> int:
        """The ReplicaSets that own pods: one per Deployment, or all of them when standalone."""
        return self.deployments or self.replicasets

    def pods_of(self, owner: int) -> int:
        share, extra = divmod(self.pods, self.owners)
        return share + (1 if owner < extra else 0)

    def old_revisions_of(self, deployment: int) -> int:
        share, extra = divmod(self.replicasets - self.deployments, self.deployments)
        return share + (1 if deployment < extra else 0)


def load_synthetic_workloads(store, plan: WorkloadPlan, *, seed: int = 0,
                             namespaces: int | None = None) -> list[tuple[str, str]]:
    """Create the namespaces, Deployments, ReplicaSets and their Running pods; returns the pods'
    (namespace, name) keys. Call on the loop thread."""
    plan.check()
    names = namespace_names(namespaces) if namespaces else namespace_names()
    for name in names:
        if store.get("namespaces", "", name) is None:
            store.create("namespaces", namespace_object(name), manager=MANAGER)
    builder = _Builder(store, random.Random(f"owners-{seed}"))
    with gc_paused():  # ~2 million new objects: the collector would rescan them over and over
        for owner in range(plan.owners):
            namespace = names[owner % len(names)]
            if plan.deployments:
                builder.deployment(namespace, plan.pods_of(owner), plan.old_revisions_of(owner))
            else:
                builder.standalone_replicaset(namespace, plan.pods_of(owner))
    return builder.pod_keys


class _Builder:
    """Builds each owner with its dependents, then stores them owner first.

    Statuses are computed before anything is stored (an object is stored once, complete); the
    owner references get the owner's uid once the owner is stored and has one.
    """

    def __init__(self, store, rng: random.Random) -> None:
        self.store = store
        self.rng = rng
        self.now_time = store.clock()
        self.now = rfc3339(self.now_time)
        self.pod_keys: list[tuple[str, str]] = []
        self._taken: set[tuple[str, str, str]] = set()
        self._checked: set[str] = set()

    # ------------------------------------------------------------------ kinds
    def deployment(self, namespace: str, replicas: int, old_revisions: int) -> None:
        app, tier = self.rng.choice(APPS), self.rng.choice(TIERS)
        name = self._free_name("deployments", namespace, f"{app}-{tier}")
        minor = self.rng.randint(old_revisions + 1, old_revisions + 30)
        template = self._template(app, tier, namespace, name, f"1.{minor}.{self.rng.randint(0, 9)}")
        deployment = {
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": namespace, "generation": 1,
                         "labels": {"app": name, SYNTHETIC_LABEL: "true"},
                         "annotations": {REVISION: str(old_revisions + 1)}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}}, "template": template,
                     "revisionHistoryLimit": max(DEFAULT_HISTORY_LIMIT, old_revisions)},
        }
        defaults.default_deployment(deployment)
        surge, unavailable = rollout.fenceposts(deployment)
        owned = []
        for revision in range(1, old_revisions + 1):
            # Earlier revisions ran earlier versions of the image: another template, another hash.
            version = f"1.{minor - (old_revisions + 1 - revision)}.0"
            owned.append(self._owned_replicaset(deployment, _with_version(template, version), revision, 0, surge))
        current = self._owned_replicaset(deployment, template, old_revisions + 1, replicas, surge)
        owned.append(current)
        deployment["status"], _ = deployment_status.compute_status(
            {**deployment, "status": {}}, current[0], [rs for rs, _ in owned], unavailable, self.now_time)
        self._store_owner("deployments", deployment, owned)

    def standalone_replicaset(self, namespace: str, replicas: int) -> None:
        app, tier = self.rng.choice(APPS), self.rng.choice(TIERS)
        name = self._free_name("replicasets", namespace, f"{app}-{tier}")
        version = f"1.{self.rng.randint(0, 30)}.{self.rng.randint(0, 9)}"
        template = self._template(app, tier, namespace, name, version)
        rs, pods = self._replicaset(namespace, name, template, {"matchLabels": {"app": name}}, replicas,
                                    labels={"app": name, SYNTHETIC_LABEL: "true"}, annotations={})
        self._store_owner("replicasets", rs, [(pod, []) for pod in pods])

    # --------------------------------------------------------------- builders
    def _owned_replicaset(self, deployment: dict, template: dict, revision: int, replicas: int,
                          surge: int) -> tuple[dict, list]:
        meta = deployment["metadata"]
        template = json_copy(template)
        template_hash = pod_template_hash(template)
        template["metadata"]["labels"][POD_TEMPLATE_HASH] = template_hash
        selector = {"matchLabels": {**deployment["spec"]["selector"]["matchLabels"],
                                    POD_TEMPLATE_HASH: template_hash}}
        desired = rollout.desired_replicas(deployment)
        annotations = {REVISION: str(revision), DESIRED_REPLICAS: str(desired),
                       MAX_REPLICAS: str(desired + surge)}
        rs, pods = self._replicaset(meta["namespace"], f"{meta['name']}-{template_hash}", template, selector,
                                    replicas, labels=dict(template["metadata"]["labels"]), annotations=annotations)
        return rs, [(pod, []) for pod in pods]

    def _replicaset(self, namespace: str, name: str, template: dict, selector: dict, replicas: int, *,
                    labels: dict, annotations: dict) -> tuple[dict, list[dict]]:
        metadata = {"name": name, "namespace": namespace, "generation": 1, "labels": labels}
        if annotations:
            metadata["annotations"] = annotations
        rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": metadata,
              "spec": {"replicas": replicas, "minReadySeconds": 0, "selector": selector, "template": template}}
        defaults.default_replicaset(rs)
        self._taken.add(("replicasets", namespace, name))
        prototype = self._pod_prototype(rs)
        pods = [self._pod(rs, prototype) for _ in range(replicas)]
        rs["status"], _ = replicaset.compute_status(rs, pods, self.now_time)
        return rs, pods

    def _pod_prototype(self, rs: dict) -> dict:
        """What every pod of `rs` has in common: its template with the pod defaults applied."""
        template = rs["spec"]["template"]
        prototype = {"metadata": {}, "spec": json_copy(template["spec"])}
        defaults.default_pod(prototype)
        return prototype["spec"]

    def _pod(self, rs: dict, prototype: dict) -> dict:
        template, namespace = rs["spec"]["template"], rs["metadata"]["namespace"]
        prefix = f"{rs['metadata']['name']}-"
        name = prefix + safe_text(self.rng, 5)
        while ("pods", namespace, name) in self._taken:
            name = prefix + safe_text(self.rng, 5)
        self._taken.add(("pods", namespace, name))
        node = self.rng.randrange(NODE_COUNT)
        spec = json_copy(prototype)
        spec["nodeName"] = f"{SYNTHETIC_NODE_PREFIX}{node}"
        return {
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "generateName": prefix, "namespace": namespace,
                         "labels": dict(template["metadata"]["labels"]),
                         "annotations": dict(template["metadata"].get("annotations") or {})},
            "spec": spec,
            "status": running_status(self.rng, spec["containers"], node, self.now),
        }

    def _template(self, app: str, tier: str, namespace: str, name: str, version: str) -> dict:
        sidecars = self.rng.sample(SIDECARS, 2 if self.rng.random() < 0.25 else 1)
        spec = {
            "containers": [app_container(self.rng, app, namespace, version)]
            + [sidecar_container(*sidecar) for sidecar in sidecars],
            "volumes": [{"name": "config", "configMap": {"name": f"{app}-config", "defaultMode": 420}},
                        {"name": "tmp", "emptyDir": {}}],
            "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
            "serviceAccountName": app, "serviceAccount": app,
            "securityContext": {"runAsNonRoot": True, "fsGroup": 2000}, "schedulerName": "default-scheduler",
        }
        labels = {"app": name, "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": namespace,
                  "app.kubernetes.io/version": version, "tier": tier, SYNTHETIC_LABEL: "true"}
        annotations = {"prometheus.io/scrape": "true", "prometheus.io/port": "9102",
                       "kubectl.kubernetes.io/default-container": app}
        return {"metadata": {"labels": labels, "annotations": annotations}, "spec": spec}

    # ---------------------------------------------------------------- storing
    def _store_owner(self, plural: str, owner: dict, dependents: list[tuple[dict, list]]) -> None:
        """Store `owner`, then each dependent (with its own dependents) pointing at its uid."""
        self._check(plural, owner)
        stored = self.store.insert_prepared(plural, owner)
        kind = stored["kind"]
        for dependent, its_dependents in dependents:
            dependent["metadata"]["ownerReferences"] = [
                owner_reference(stored, api_version=stored["apiVersion"], kind=kind)]
            if dependent["kind"] == "Pod":
                self._check("pods", dependent)
                create_synthetic_pod(self.store, dependent)
                self.pod_keys.append((dependent["metadata"]["namespace"], dependent["metadata"]["name"]))
            else:
                self._store_owner(dependent["kind"].lower() + "s", dependent, its_dependents)

    # ---------------------------------------------------------------- helpers
    def _free_name(self, plural: str, namespace: str, base: str) -> str:
        name, number = base, 1
        while (plural, namespace, name) in self._taken or self.store.get(plural, namespace, name) is not None:
            number += 1
            name = f"{base}-{number}"
        self._taken.add((plural, namespace, name))
        return name

    def _check(self, plural: str, obj: dict) -> None:
        """The first object of each kind goes through a dry-run create: the builders must stay valid."""
        if plural not in self._checked:
            self._checked.add(plural)
            self.store.create(plural, obj, dry_run=True)


def _with_version(template: dict, version: str) -> dict:
    older = json_copy(template)
    older["metadata"]["labels"]["app.kubernetes.io/version"] = version
    app = older["spec"]["containers"][0]
    app["image"] = app["image"].rsplit(":", 1)[0] + f":{version}"
    return older
