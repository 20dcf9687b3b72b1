"""Synthetic Deployments and ReplicaSets owning the synthetic pods (`--deployments`, `--replicasets`),
seen through the real API, with the real controllers running."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from kubetui.localcluster.cluster.synthetic import SYNTHETIC_NODE_PREFIX
from tests.support.clusters import cluster_fixture, start_cluster
from tests.support.waiting import wait_for

PODS, REPLICASETS, DEPLOYMENTS = 50, 10, 5
HASH = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"


running = cluster_fixture(pods=PODS, deployments=DEPLOYMENTS, replicasets=REPLICASETS, churn=0.0, random_seed=4,
                          kubelet=False)


def objects(running, plural: str) -> list[dict]:
    lists = {"pods": running.core.list_pod_for_all_namespaces,
             "replicasets": running.apps.list_replica_set_for_all_namespaces,
             "deployments": running.apps.list_deployment_for_all_namespaces}
    return running.get_json(lists[plural])["items"]


def controller_of(obj: dict) -> dict:
    refs = [ref for ref in obj["metadata"].get("ownerReferences") or () if ref.get("controller")]
    assert len(refs) == 1, obj["metadata"]
    return refs[0]


def by_uid(items: list[dict]) -> dict[str, dict]:
    return {item["metadata"]["uid"]: item for item in items}


def is_ready(pod: dict) -> bool:
    return any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"].get("conditions") or ())


def test_counts_and_owner_references(running):
    pods, replicasets, deployments = (objects(running, p) for p in ("pods", "replicasets", "deployments"))
    assert (len(pods), len(replicasets), len(deployments)) == (PODS, REPLICASETS, DEPLOYMENTS)
    replicaset_by_uid, deployment_by_uid = by_uid(replicasets), by_uid(deployments)
    for pod in pods:
        ref = controller_of(pod)
        assert (ref["apiVersion"], ref["kind"], ref["blockOwnerDeletion"]) == ("apps/v1", "ReplicaSet", True)
        owner = replicaset_by_uid[ref["uid"]]
        assert ref["name"] == owner["metadata"]["name"]
        assert pod["metadata"]["namespace"] == owner["metadata"]["namespace"]
        assert pod["metadata"]["name"].startswith(owner["metadata"]["name"] + "-")
        assert pod["spec"]["nodeName"].startswith(SYNTHETIC_NODE_PREFIX)
        labels = pod["metadata"]["labels"]
        assert owner["spec"]["selector"]["matchLabels"].items() <= labels.items()
        assert labels[HASH] == owner["metadata"]["labels"][HASH]
    for rs in replicasets:
        ref = controller_of(rs)
        assert (ref["apiVersion"], ref["kind"]) == ("apps/v1", "Deployment")
        owner = deployment_by_uid[ref["uid"]]
        assert rs["metadata"]["name"] == f"{owner['metadata']['name']}-{rs['metadata']['labels'][HASH]}"
        assert owner["spec"]["selector"]["matchLabels"].items() <= rs["metadata"]["labels"].items()
    owners_per_deployment = Counter(controller_of(rs)["uid"] for rs in replicasets)
    assert sorted(owners_per_deployment.values()) == [REPLICASETS // DEPLOYMENTS] * DEPLOYMENTS


def test_each_deployment_runs_its_newest_revision_and_keeps_an_older_one_at_zero(running):
    pods, replicasets, deployments = (objects(running, p) for p in ("pods", "replicasets", "deployments"))
    pods_per_replicaset = Counter(controller_of(pod)["uid"] for pod in pods)
    for deployment in deployments:
        owned = [rs for rs in replicasets if controller_of(rs)["uid"] == deployment["metadata"]["uid"]]
        current = max(owned, key=lambda rs: int(rs["metadata"]["annotations"][REVISION]))
        assert deployment["metadata"]["annotations"][REVISION] == current["metadata"]["annotations"][REVISION]
        assert current["spec"]["replicas"] == deployment["spec"]["replicas"] == PODS // DEPLOYMENTS
        assert pods_per_replicaset[current["metadata"]["uid"]] == PODS // DEPLOYMENTS
        for old in owned:
            if old is not current:
                assert old["spec"]["replicas"] == 0 and pods_per_replicaset[old["metadata"]["uid"]] == 0
                assert old["spec"]["template"] != current["spec"]["template"]


def test_status_counts_match_the_pods(running):
    pods, replicasets, deployments = (objects(running, p) for p in ("pods", "replicasets", "deployments"))
    ready = Counter(controller_of(pod)["uid"] for pod in pods if is_ready(pod))
    total = Counter(controller_of(pod)["uid"] for pod in pods)
    for rs in replicasets:
        count, status = total[rs["metadata"]["uid"]], rs["status"]
        assert status["replicas"] == count
        assert status.get("readyReplicas", 0) == status.get("availableReplicas", 0) == ready[rs["metadata"]["uid"]]
        assert status.get("fullyLabeledReplicas", 0) == count
    for deployment in deployments:
        status, replicas = deployment["status"], deployment["spec"]["replicas"]
        assert (status["replicas"], status["updatedReplicas"], status["readyReplicas"],
                status["availableReplicas"]) == (replicas,) * 4
        conditions = {c["type"]: c["reason"] for c in status["conditions"]}
        assert conditions == {"Available": "MinimumReplicasAvailable", "Progressing": "NewReplicaSetAvailable"}
    lines = running.kubectl("get", "deploy", "-A", "--no-headers").stdout.splitlines()
    assert {tuple(line.split()[2:5]) for line in lines} == {("10/10", "10", "10")}
    shown = Counter(tuple(line.split()[2:5]) for line in running.kubectl("get", "rs", "-A", "--no-headers")
                    .stdout.splitlines())
    assert shown == {("10", "10", "10"): DEPLOYMENTS, ("0", "0", "0"): REPLICASETS - DEPLOYMENTS}


def test_the_controllers_find_nothing_to_change(running):
    cluster = running.cluster
    store = cluster.store
    for plural in ("pods", "replicasets", "deployments"):  # nobody wrote to them after the load
        assert not [o for o in objects(running, plural) if o["metadata"].get("managedFields")], plural

    def reconcile_all() -> tuple[int, int]:
        before = store.resource_version
        for rs in store.scan("replicasets"):
            cluster.controllers.replicasets.reconcile((rs["metadata"]["namespace"], rs["metadata"]["name"]))
        for deployment in store.scan("deployments"):
            cluster.controllers.deployments.reconcile((deployment["metadata"]["namespace"],
                                                       deployment["metadata"]["name"]))
        return before, store.resource_version

    before, after = cluster.call(reconcile_all)
    assert after == before
    reasons = cluster.call(lambda: [e.get("reason") for e in store.scan("events")
                                    if (e.get("source") or {}).get("component") in
                                    ("replicaset-controller", "deployment-controller")])
    assert reasons == []


def _consistent(running) -> bool:
    pods, replicasets, deployments = (objects(running, p) for p in ("pods", "replicasets", "deployments"))
    live = [pod for pod in pods if not pod["metadata"].get("deletionTimestamp")]
    if not all(pod["spec"].get("nodeName", "").startswith(SYNTHETIC_NODE_PREFIX) for pod in live):
        return False  # a controller made a pod of its own
    total = Counter(controller_of(pod)["uid"] for pod in live)
    ready = Counter(controller_of(pod)["uid"] for pod in live if is_ready(pod))
    for rs in replicasets:
        uid, status = rs["metadata"]["uid"], rs.get("status") or {}
        if not (total[uid] == rs["spec"]["replicas"] == status.get("replicas", 0)
                and status.get("readyReplicas", 0) == ready[uid]):
            return False
    for deployment in deployments:
        owned = [rs for rs in replicasets if controller_of(rs)["uid"] == deployment["metadata"]["uid"]]
        if deployment["status"].get("readyReplicas", 0) != sum(rs["status"].get("readyReplicas", 0) for rs in owned):
            return False
    return True


def test_churn_keeps_the_counts_true(tmp_path):
    with start_cluster(tmp_path, pods=PODS, deployments=DEPLOYMENTS, replicasets=REPLICASETS, churn=300.0,
                       random_seed=9, kubelet=False) as running:
        cluster = running.cluster
        first = {pod["metadata"]["name"] for pod in objects(running, "pods")}
        wait_for(lambda: cluster.call(lambda: cluster.churn.changes_made) >= 400, timeout=60,
                 message="400 churn changes")
        cluster.call(lambda: setattr(cluster.churn, "rate", 0))
        wait_for(lambda: _consistent(running), timeout=30, message="counts that match the pods")
        names = {pod["metadata"]["name"] for pod in objects(running, "pods")}
        assert names - first and len(names) == PODS  # some pods were replaced, none added or lost
        lines = running.kubectl("get", "deploy", "-A", "--no-headers").stdout.splitlines()
        assert len(lines) == DEPLOYMENTS and all(line.split()[2].endswith("/10") for line in lines)


@pytest.mark.parametrize("flags, message", [
    (["--deployments", "3", "--replicasets", "2"],
     "--deployments 3 needs --replicasets 3 or more: every Deployment owns its current ReplicaSet"),
    (["--pods", "-5"], "--pods must not be negative, not -5"),
])
def test_counts_that_cannot_be_are_one_line(tmp_path, flags, message):
    result = subprocess.run([sys.executable, "-m", "kubetui", "cluster", *flags, "--write-kubeconfig",
                             str(tmp_path / "config")], capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert result.stderr == f"kubetui: cannot start the local cluster: {message}\n"
    assert result.stdout == ""
