"""kube-scheduler's filters and FailedScheduling wording, as pure functions (table-driven)."""

from __future__ import annotations

import pytest

from kubetui.localcluster.scheduler.filters import Refusal, fit_error, refusal, tolerates

NODE = {"metadata": {"name": "n1", "labels": {"disktype": "ssd", "zone": "a", "cores": "8"}},
        "spec": {}, "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "3"}}}


def _pod(**spec) -> dict:
    return {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "nginx"}], **spec}}


def _node(**spec) -> dict:
    return dict(NODE, spec=spec)


@pytest.mark.parametrize("tolerations, taint, expected", [
    pytest.param([{"operator": "Exists"}], {"key": "k", "effect": "NoSchedule"}, True, id="exists-all"),
    pytest.param([{"key": "k", "value": "v", "effect": "NoSchedule"}],
                 {"key": "k", "value": "v", "effect": "NoSchedule"}, True, id="equal"),
    pytest.param([{"key": "k", "value": "w"}], {"key": "k", "value": "v", "effect": "NoSchedule"}, False,
                 id="other-value"),
    pytest.param([{"key": "k", "operator": "Exists", "effect": "NoExecute"}],
                 {"key": "k", "effect": "NoSchedule"}, False, id="other-effect"),
    pytest.param([], {"key": "k", "effect": "NoSchedule"}, False, id="none"),
])
def test_tolerations(tolerations, taint, expected):
    assert tolerates(tolerations, taint) is expected


@pytest.mark.parametrize("pod, node, on_node, expected", [
    pytest.param(_pod(), _node(unschedulable=True), [], Refusal(("node(s) were unschedulable",), False),
                 id="cordoned"),
    pytest.param(_pod(tolerations=[{"key": "node.kubernetes.io/unschedulable", "operator": "Exists"}]),
                 _node(unschedulable=True), [], None, id="cordon-tolerated"),
    pytest.param(_pod(), _node(taints=[{"key": "gpu", "value": "yes", "effect": "NoSchedule"}]), [],
                 Refusal(("node(s) had untolerated taint {gpu: yes}",), False), id="taint"),
    pytest.param(_pod(), _node(taints=[{"key": "soft", "effect": "PreferNoSchedule"}]), [], None,
                 id="prefer-no-schedule"),
    pytest.param(_pod(nodeSelector={"disktype": "hdd"}), _node(), [],
                 Refusal(("node(s) didn't match Pod's node affinity/selector",), False), id="selector"),
    pytest.param(_pod(affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "In", "values": ["b"]}]},
                              {"matchExpressions": [{"key": "cores", "operator": "Gt", "values": ["4"]}]}]}}}),
                 _node(), [], None, id="affinity-second-term"),
    pytest.param(_pod(containers=[{"name": "c", "resources": {"requests": {"cpu": "3", "memory": "9Gi"}}}]),
                 _node(), [_pod(containers=[{"name": "c", "resources": {"requests": {"cpu": "2"}}}])],
                 Refusal(("Insufficient cpu", "Insufficient memory"), True), id="resources"),
    pytest.param(_pod(), _node(), [_pod(), _pod(), _pod()], Refusal(("Too many pods",), True), id="pods"),
    pytest.param(_pod(containers=[{"name": "c", "ports": [{"containerPort": 80, "hostPort": 8080}]}]), _node(),
                 [_pod(containers=[{"name": "c", "ports": [{"containerPort": 80, "hostPort": 8080}]}])],
                 Refusal(("node(s) didn't have free ports for the requested pod ports",), True), id="ports"),
])
def test_filters_in_the_schedulers_order(pod, node, on_node, expected):
    assert refusal(pod, node, on_node) == expected


def test_the_fit_error_sorts_both_histograms():
    refusals = [Refusal(("node(s) were unschedulable",), False), Refusal(("Insufficient cpu",), True)]
    assert fit_error(refusals, 2) == (
        "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. preemption: 0/2 nodes "
        "are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for "
        "scheduling.")
    assert fit_error([], 0) == "no nodes available to schedule pods"
