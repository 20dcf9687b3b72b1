"""delete, kill, scale, rollout restart and rollout undo, each compared with what the venv's kubectl
does on the same server: the same words, and objects that end up the same in the fields that matter.

Each pair of objects is made identical; kubectl acts on one, kubetui on the other.
"""

from __future__ import annotations

import subprocess
import uuid

import pytest

from kubetui.errors import KubetuiError
from kubetui.kube.contexts import connect
from kubetui.kube.deleting import delete_object
from kubetui.kube.rolling_out import restart, undo
from kubetui.kube.scaling import current_replicas, scale
from kubetui.localcluster.cluster.kubeconfig import VIEWER_CONTEXT
from kubetui.model.resource_names import ApiResource
from tests.support.clusters import cluster_fixture
from tests.support.pods import container, pod_manifest
from tests.support.waiting import wait_for

PODS = ApiResource("", "v1", "pods", "pod", "Pod", namespaced=True)
DEPLOYMENTS = ApiResource("apps", "v1", "deployments", "deployment", "Deployment", namespaced=True)
REPLICASETS = ApiResource("apps", "v1", "replicasets", "replicaset", "ReplicaSet", namespaced=True)
NAMESPACES = ApiResource("", "v1", "namespaces", "namespace", "Namespace", namespaced=False)


# Controllers (ReplicaSets, revisions, garbage collection) but no kubelet: nothing runs.
workloads = cluster_fixture(kubelet=False, bookmark_interval=0.5)


@pytest.fixture(scope="module")
def client(workloads):
    conn = connect(str(workloads.kubeconfig))
    yield conn.api_client
    conn.close()


@pytest.fixture(scope="module")
def raw_w(workloads):
    return workloads.raw


@pytest.fixture
def ns(workloads):
    with workloads.namespace() as name:
        yield name


@pytest.fixture(scope="module")
def kube(workloads):
    def run(*args: str, context: str | None = None) -> subprocess.CompletedProcess:
        return workloads.kubectl(*args, context=context, check=False)

    return run


def _pod(raw, ns, name):
    raw.create_pod(ns, pod_manifest(name, node="kubetui-node-1"))


def _deployment(raw, ns, name, replicas=2, image="nginx:1.16"):
    raw.json("POST", f"/apis/apps/v1/namespaces/{ns}/deployments", {
        "metadata": {"name": name},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [container("web", image)]}}}}, expect=201)


def _get(raw, path):
    status, _, body = raw.request("GET", path)
    return None if status == 404 else __import__("orjson").loads(body)


def _same_words(ours: str, theirs: str, our_name: str, their_name: str) -> None:
    assert ours == theirs.strip().replace(f'"{their_name}"', f'"{our_name}"').replace(f"/{their_name} ", f"/{our_name} ")


def test_delete_a_pod_as_kubectl_does(client, raw_w, kube, ns):
    _pod(raw_w, ns, "theirs")
    _pod(raw_w, ns, "ours")
    result = kube("delete", "pod", "theirs", "-n", ns, "--wait=false")
    message = delete_object(client, PODS, ns, "ours")
    _same_words(message, result.stdout, "ours", "theirs")
    assert message == f'pod "ours" deleted from {ns} namespace'
    theirs, ours = _get(raw_w, f"/api/v1/namespaces/{ns}/pods/theirs"), _get(raw_w, f"/api/v1/namespaces/{ns}/pods/ours")
    assert (theirs is None) == (ours is None)
    if ours is not None:  # graceful: terminating with the same grace period
        assert ours["metadata"]["deletionGracePeriodSeconds"] == theirs["metadata"]["deletionGracePeriodSeconds"]
        assert ours["metadata"].get("deletionTimestamp") and theirs["metadata"].get("deletionTimestamp")


def test_kill_is_kubectls_force_delete(client, raw_w, kube, ns):
    _pod(raw_w, ns, "theirs")
    _pod(raw_w, ns, "ours")
    result = kube("delete", "pod", "theirs", "-n", ns, "--grace-period=0", "--force")
    message = delete_object(client, PODS, ns, "ours", kill=True)
    _same_words(message, result.stdout, "ours", "theirs")
    assert "force deleted" in message
    assert _get(raw_w, f"/api/v1/namespaces/{ns}/pods/ours") is None
    assert _get(raw_w, f"/api/v1/namespaces/{ns}/pods/theirs") is None


def test_delete_a_deployment_takes_its_replicasets_along_in_the_background(client, raw_w, kube, ns):
    for name in ("theirs", "ours"):
        _deployment(raw_w, ns, name)
    wait_for(lambda: len(_get(raw_w, f"/apis/apps/v1/namespaces/{ns}/replicasets")["items"]) == 2,
             message="both ReplicaSets")
    result = kube("delete", "deployment", "theirs", "-n", ns, "--wait=false")
    message = delete_object(client, DEPLOYMENTS, ns, "ours")
    _same_words(message, result.stdout, "ours", "theirs")
    assert message == f'deployment.apps "ours" deleted from {ns} namespace'
    wait_for(lambda: not _get(raw_w, f"/apis/apps/v1/namespaces/{ns}/replicasets")["items"],
             message="the garbage collector to remove both ReplicaSets")


def test_delete_a_cluster_scoped_object_names_no_namespace(client, raw_w, kube):
    names = [f"t-{uuid.uuid4().hex[:10]}" for _ in range(2)]
    for name in names:
        raw_w.json("POST", "/api/v1/namespaces", {"metadata": {"name": name}}, expect=201)
    result = kube("delete", "namespace", names[0], "--wait=false")
    message = delete_object(client, NAMESPACES, "ignored", names[1])
    _same_words(message, result.stdout, names[1], names[0])
    assert message == f'namespace "{names[1]}" deleted'


def test_scale_through_the_scale_subresource(client, raw_w, kube, ns):
    for name in ("theirs", "ours"):
        _deployment(raw_w, ns, name, replicas=2)
    assert current_replicas(client, DEPLOYMENTS, ns, "ours") == 2
    result = kube("scale", "deployment/theirs", "-n", ns, "--replicas=4")
    message = scale(client, DEPLOYMENTS, ns, "ours", 4)
    _same_words(message, result.stdout, "ours", "theirs")
    assert message == "deployment.apps/ours scaled"
    for name in ("theirs", "ours"):
        assert _get(raw_w, f"/apis/apps/v1/namespaces/{ns}/deployments/{name}")["spec"]["replicas"] == 4
    assert current_replicas(client, DEPLOYMENTS, ns, "ours") == 4
    with pytest.raises(KubetuiError, match="greater than or equal to 0"):
        scale(client, DEPLOYMENTS, ns, "ours", -1)


def test_scale_a_replicaset(client, raw_w, kube, ns):
    raw_w.json("POST", f"/apis/apps/v1/namespaces/{ns}/replicasets", {
        "metadata": {"name": "rs"}, "spec": {"replicas": 1, "selector": {"matchLabels": {"a": "b"}},
                                             "template": {"metadata": {"labels": {"a": "b"}},
                                                          "spec": {"containers": [container("c", "x")]}}}},
               expect=201)
    assert scale(client, REPLICASETS, ns, "rs", 3) == "replicaset.apps/rs scaled"
    assert _get(raw_w, f"/apis/apps/v1/namespaces/{ns}/replicasets/rs")["spec"]["replicas"] == 3


def _replicasets_of(raw, ns, name):
    return [rs for rs in _get(raw, f"/apis/apps/v1/namespaces/{ns}/replicasets")["items"]
            if rs["metadata"]["ownerReferences"][0]["name"] == name]


def test_rollout_restart_stamps_the_template_as_kubectl_does(client, raw_w, kube, ns):
    for name in ("theirs", "ours"):
        _deployment(raw_w, ns, name)
    result = kube("rollout", "restart", "deployment/theirs", "-n", ns)
    message = restart(client, DEPLOYMENTS, ns, "ours")
    _same_words(message, result.stdout, "ours", "theirs")
    assert message == "deployment.apps/ours restarted"
    stamps = {}
    for name in ("theirs", "ours"):
        deployment = _get(raw_w, f"/apis/apps/v1/namespaces/{ns}/deployments/{name}")
        stamps[name] = deployment["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"]
        managers = {entry["manager"] for entry in deployment["metadata"]["managedFields"]}
        assert "kubectl-rollout" in managers
    assert len(stamps["ours"]) == len(stamps["theirs"])  # the same RFC 3339 spelling
    for name in ("theirs", "ours"):  # a new ReplicaSet for the new template
        wait_for(lambda name=name: len(_replicasets_of(raw_w, ns, name)) == 2, message=f"{name}'s second ReplicaSet")


def test_rollout_undo_returns_to_the_previous_template_as_kubectl_does(client, raw_w, kube, ns):
    for name in ("theirs", "ours"):
        _deployment(raw_w, ns, name, image="nginx:1.16")
        wait_for(lambda name=name: _replicasets_of(raw_w, ns, name), message="the first revision")
        assert kube("set", "image", f"deployment/{name}", "web=nginx:1.17", "-n", ns).returncode == 0
        wait_for(lambda name=name: len(_replicasets_of(raw_w, ns, name)) == 2, message="the second revision")
    result = kube("rollout", "undo", "deployment/theirs", "-n", ns)
    message = undo(client, DEPLOYMENTS, ns, "ours")
    _same_words(message, result.stdout, "ours", "theirs")
    assert message == "deployment.apps/ours rolled back"
    after = {name: _get(raw_w, f"/apis/apps/v1/namespaces/{ns}/deployments/{name}") for name in ("theirs", "ours")}
    for deployment in after.values():
        assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.16"
        assert "pod-template-hash" not in deployment["spec"]["template"]["metadata"]["labels"]
    assert after["ours"]["metadata"].get("annotations") == after["theirs"]["metadata"].get("annotations")
    wait_for(lambda: all(_get(raw_w, f"/apis/apps/v1/namespaces/{ns}/deployments/{name}")["metadata"]["annotations"]
                         ["deployment.kubernetes.io/revision"] == "3" for name in ("theirs", "ours")),
             message="both rolled back to a third revision")


def test_undo_without_history_and_of_kinds_kubectl_cannot_undo(client, raw_w, kube, ns):
    _deployment(raw_w, ns, "fresh")
    wait_for(lambda: _replicasets_of(raw_w, ns, "fresh"), message="the first revision")
    result = kube("rollout", "undo", "deployment/fresh", "-n", ns)
    with pytest.raises(KubetuiError) as refused:
        undo(client, DEPLOYMENTS, ns, "fresh")
    assert result.returncode != 0 and refused.value.message in result.stderr
    rs = _replicasets_of(raw_w, ns, "fresh")[0]["metadata"]["name"]
    for verb, action in (("undo", undo), ("restart", restart)):
        result = kube("rollout", verb, f"rs/{rs}", "-n", ns)
        with pytest.raises(KubetuiError) as refused:
            action(client, REPLICASETS, ns, rs)
        assert result.returncode != 0 and refused.value.message in result.stderr


def test_a_paused_deployment_is_refused_in_kubectls_words(client, raw_w, kube, ns):
    _deployment(raw_w, ns, "paused")
    wait_for(lambda: _replicasets_of(raw_w, ns, "paused"), message="the first revision")
    assert kube("set", "image", "deployment/paused", "web=nginx:1.17", "-n", ns).returncode == 0
    wait_for(lambda: len(_replicasets_of(raw_w, ns, "paused")) == 2, message="the second revision")
    raw_w.request("PATCH", f"/apis/apps/v1/namespaces/{ns}/deployments/paused", {"spec": {"paused": True}},
                  headers={"Content-Type": "application/merge-patch+json"})
    for verb, action in (("restart", restart), ("undo", undo)):
        result = kube("rollout", verb, "deployment/paused", "-n", ns)
        with pytest.raises(KubetuiError) as refused:
            action(client, DEPLOYMENTS, ns, "paused")
        assert result.returncode != 0 and refused.value.message in result.stderr


def test_a_refusal_is_the_servers_words(workloads, raw_w, kube, ns):
    _pod(raw_w, ns, "guarded")
    viewer = connect(str(workloads.kubeconfig), VIEWER_CONTEXT)
    try:
        for call in (lambda: delete_object(viewer.api_client, PODS, ns, "guarded"),
                     lambda: scale(viewer.api_client, DEPLOYMENTS, ns, "none", 1)):
            with pytest.raises(KubetuiError) as refused:
                call()
            assert refused.value.title == "Forbidden"
        result = kube("delete", "pod", "guarded", "-n", ns, context=VIEWER_CONTEXT)
        with pytest.raises(KubetuiError) as refused:
            delete_object(viewer.api_client, PODS, ns, "guarded")
        assert refused.value.message == result.stderr.strip()
    finally:
        viewer.close()
    assert _get(raw_w, f"/api/v1/namespaces/{ns}/pods/guarded") is not None


def test_deleting_what_is_gone_says_not_found_as_kubectl_does(client, kube, ns):
    result = kube("delete", "pod", "nope", "-n", ns)
    with pytest.raises(KubetuiError) as missing:
        delete_object(client, PODS, ns, "nope")
    assert missing.value.message == result.stderr.strip()
