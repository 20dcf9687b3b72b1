"""Scheduling onto kubetui-node-1/2, the kubelet's back-off arithmetic, and the simulated clock."""

from __future__ import annotations

import re

import pytest

from kubetui.localcluster.apimachinery.clock import SimClock
from kubetui.localcluster.node.node_runtime import Backoff
from kubetui.localcluster.node.nodes import NODES, PodAddresses
from tests.localcluster.sim_support import get_pod, new_namespace, wait_status
from tests.support.pods import container, pod_manifest

NGINX = container("c", "nginx:1.16")


def test_pods_are_spread_over_both_nodes(fast_cluster):
    ns = new_namespace(fast_cluster)
    for index in range(4):
        fast_cluster.raw.create_pod(ns, pod_manifest(f"spread-{index}", NGINX))
    nodes = [wait_status(fast_cluster, ns, f"spread-{i}", lambda p: p["spec"].get("nodeName"))
             ["spec"]["nodeName"] for i in range(4)]
    assert sorted(set(nodes)) == ["kubetui-node-1", "kubetui-node-2"]


def test_a_selector_no_node_matches_leaves_the_pod_pending(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("picky", NGINX, nodeSelector={"disktype": "ssd"}))
    pod = wait_status(fast_cluster, ns, "picky", lambda p: any(
        c.get("reason") == "Unschedulable" for c in p["status"].get("conditions") or []))
    assert pod["status"]["phase"] == "Pending" and "nodeName" not in pod["spec"]
    message = ("0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. "
               "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.")
    condition = next(c for c in pod["status"]["conditions"] if c["type"] == "PodScheduled")
    assert (condition["status"], condition["message"]) == ("False", message)
    events = fast_cluster.kubectl("get", "events", "-n", ns).stdout
    assert re.search(r"Warning\s+FailedScheduling\s+pod/picky\s+0/2 nodes are available", events)


def test_requests_larger_than_a_node_are_insufficient(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("huge", {**NGINX, "resources": {"requests": {"cpu": "64"}}}))
    pod = wait_status(fast_cluster, ns, "huge", lambda p: any(
        c.get("reason") == "Unschedulable" for c in p["status"].get("conditions") or []))
    condition = next(c for c in pod["status"]["conditions"] if c["type"] == "PodScheduled")
    assert condition["message"].startswith("0/2 nodes are available: 2 Insufficient cpu.")


def test_noschedule_taints_keep_out_pods_without_a_toleration(fast_cluster):
    ns = new_namespace(fast_cluster)
    nodes = ("kubetui-node-1", "kubetui-node-2")
    fast_cluster.kubectl("taint", "nodes", *nodes, "dedicated=gpu:NoSchedule")
    try:
        fast_cluster.raw.create_pod(ns, pod_manifest("tolerant", NGINX, tolerations=[
            {"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}]))
        fast_cluster.raw.create_pod(ns, pod_manifest("intolerant", NGINX))
        wait_status(fast_cluster, ns, "tolerant", lambda p: p["spec"].get("nodeName"))
        message = ("0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}. preemption: "
                   "0/2 nodes are available: 2 Preemption is not helpful for scheduling.")
        wait_status(fast_cluster, ns, "intolerant", lambda p: any(
            c.get("message") == message for c in p["status"].get("conditions") or []))
        fast_cluster.kubectl("taint", "nodes", nodes[0], "dedicated=gpu:NoSchedule-")
        pod = wait_status(fast_cluster, ns, "intolerant", lambda p: p["spec"].get("nodeName"))
        assert pod["spec"]["nodeName"] == nodes[0]
    finally:
        fast_cluster.kubectl("taint", "nodes", *nodes, "dedicated-", check=False)


def test_pods_for_another_scheduler_are_left_alone(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("other-scheduler", NGINX, schedulerName="my-scheduler"))
    fast_cluster.raw.create_pod(ns, pod_manifest("witness", NGINX))
    wait_status(fast_cluster, ns, "witness", lambda p: p["spec"].get("nodeName"))
    pod = get_pod(fast_cluster, ns, "other-scheduler")
    assert "nodeName" not in pod["spec"] and pod["status"]["phase"] == "Pending"


def test_the_kubelet_back_off_doubles_to_five_minutes_then_resets():
    backoff = Backoff()
    assert not backoff.in_backoff_since("c", 0.0, 0.0)  # the first crash restarts at once
    backoff.next("c", 0.0, 0.0)
    now, waits = 0.0, []
    for _ in range(7):
        finished = now + 2.0  # the container runs two seconds, then crashes again
        assert backoff.in_backoff_since("c", finished, finished)
        waits.append(backoff.get("c"))
        now = finished + backoff.get("c")  # restarted once the wait is over
        assert not backoff.in_backoff_since("c", finished, now)
        backoff.next("c", finished, now)
    assert waits == [10, 20, 40, 80, 160, 300, 300]
    backoff.next("c", now + 700, now + 700)  # ran fine for longer than twice the cap
    assert backoff.get("c") == 10


def test_the_simulated_clock_scales_durations_only():
    ticks = iter([100.0, 101.0, 103.0])
    clock = SimClock(20, monotonic=lambda: next(ticks))
    assert clock.now() == pytest.approx(20.0) and clock.now() == pytest.approx(60.0)
    assert clock.real_seconds(10) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        SimClock(0)


def test_pod_addresses_stay_inside_each_nodes_blocks():
    first = PodAddresses(NODES[0])
    addresses = [first.allocate() for _ in range(300)]
    assert addresses[0] == "10.244.0.2" and len(set(addresses)) == 300
    assert addresses[253] == "10.244.2.2"  # the node's next /24 once the first is full
    first.release("10.244.0.5")
    assert "10.244.0.5" not in {PodAddresses(NODES[1]).allocate() for _ in range(10)}
