"""Synthetic pods (`--pods N`) and their churn (`--churn R`), seen through the real API."""

from __future__ import annotations

import random
import threading
from collections import Counter

import orjson

from kubetui.localcluster.registry.defaults import default_pod
from kubetui.localcluster.storage.store import Store
from kubetui.localcluster.cluster.synthetic import (
    SYNTHETIC_NODE_PREFIX,
    load_synthetic_pods,
    namespace_names,
    synthetic_pod,
)
from kubetui.localcluster.validation.objects import validate
from tests.support.clusters import cluster_fixture
from tests.support.waiting import wait_for

PODS = 300


running = cluster_fixture(pods=PODS, churn=0.0, random_seed=7)


def synthetic_pods(running) -> list[dict]:
    items = running.get_json(running.core.list_pod_for_all_namespaces)["items"]
    return [pod for pod in items if pod["spec"].get("nodeName", "").startswith(SYNTHETIC_NODE_PREFIX)]


def test_pods_are_spread_over_team_namespaces(running):
    pods = synthetic_pods(running)
    assert len(pods) == PODS
    per_namespace = Counter(pod["metadata"]["namespace"] for pod in pods)
    assert sorted(per_namespace) == namespace_names()
    assert set(per_namespace.values()) == {PODS // len(namespace_names())}
    namespaces = running.kubectl("get", "namespaces", "-o", "name").stdout.split()
    assert "namespace/team-00" in namespaces and "namespace/team-19" in namespaces


def test_pods_are_realistic_and_about_four_kilobytes(running):
    pods = synthetic_pods(running)
    sizes = [len(orjson.dumps(pod)) for pod in pods]
    assert 3500 <= sum(sizes) / len(sizes) <= 5500
    for pod in pods[:25]:
        assert 2 <= len(pod["spec"]["containers"]) <= 3
        assert pod["status"]["phase"] == "Running"
        statuses = pod["status"]["containerStatuses"]
        assert [s["name"] for s in statuses] == [c["name"] for c in pod["spec"]["containers"]]
        assert all(s["ready"] and s["imageID"] and "running" in s["state"] for s in statuses)
        assert pod["status"]["podIP"] and pod["status"]["hostIP"]
        assert {c["type"] for c in pod["status"]["conditions"]} >= {"Ready", "PodScheduled"}
        assert max(len(v) for v in pod["metadata"]["annotations"].values()) > 100


def test_kubectl_shows_them_running(running):
    lines = running.kubectl("get", "pods", "-n", "team-03").stdout.splitlines()
    assert lines[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert len(lines) == 1 + PODS // len(namespace_names())
    assert all(line.split()[2] == "Running" for line in lines[1:])


def test_kubectl_delete_of_a_synthetic_pod_completes(running):
    victim = synthetic_pods(running)[0]["metadata"]
    result = running.kubectl("delete", "pod", "-n", victim["namespace"], victim["name"],
                             timeout=60)
    assert f'pod "{victim["name"]}" deleted' in result.stdout


def test_same_seed_gives_same_pods():
    def names(seed: int) -> list[tuple[str, str]]:
        return load_synthetic_pods(Store(), 40, seed=seed)

    assert names(3) == names(3)
    assert names(3) != names(4)
    pod = synthetic_pod(random.Random(1), "team-01", "2026-01-01T00:00:00Z")
    assert pod == synthetic_pod(random.Random(1), "team-01", "2026-01-01T00:00:00Z")


def test_builder_output_is_valid_and_already_defaulted():
    # The bulk load skips the store's defaulting and validation; this is what makes it safe.
    rng = random.Random(11)
    for _ in range(50):
        pod = synthetic_pod(rng, "team-05", "2026-01-01T00:00:00Z")
        defaulted = orjson.loads(orjson.dumps(pod))
        default_pod(defaulted)
        assert defaulted == pod
        assert validate("Pod", pod) == []


churning = cluster_fixture("function", pods=40, churn=200.0, random_seed=1)


def test_churn_produces_modified_added_and_deleted_events(churning):
    listing = churning.get_json(churning.core.list_pod_for_all_namespaces)
    response = churning.core.list_pod_for_all_namespaces(
        watch=True, resource_version=listing["metadata"]["resourceVersion"],
        timeout_seconds=60, _preload_content=False, _request_timeout=(5, 65))
    seen: Counter = Counter()
    done = threading.Event()

    def read_events():
        buffer = b""
        for chunk in response.stream(4096):
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                seen[orjson.loads(line)["type"]] += 1
            if seen["MODIFIED"] >= 20 and seen["ADDED"] and seen["DELETED"]:
                break
        done.set()

    reader = threading.Thread(target=read_events, daemon=True)
    reader.start()
    try:
        wait_for(done.is_set, timeout=45, message="MODIFIED, ADDED and DELETED events")
    finally:
        response.release_conn()
    assert seen["MODIFIED"] >= 20 and seen["ADDED"] >= 1 and seen["DELETED"] >= 1
    # Replacements keep the population steady.
    assert wait_for(lambda: len(synthetic_pods(churning)) == 40, message="40 pods")
