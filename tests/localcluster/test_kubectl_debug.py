"""`kubectl debug` through the pods/ephemeralcontainers subresource, and 404s that carry
`details` as kube-apiserver's do (kubectl debug dereferences them)."""

from __future__ import annotations

from tests.localcluster.sim_support import (  # noqa: F401 (fixture)
    fast_cluster, new_namespace, wait_status,
)

from tests.support.pods import pod_manifest

NGINX = {"name": "nginx-container", "image": "nginx:1.16"}


def _running(pod: dict, key: str, name: str) -> bool:
    return any(s["name"] == name and "running" in s["state"] for s in pod["status"].get(key) or [])


def test_an_unknown_path_is_a_404_status_with_empty_details(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("p", NGINX))
    for path in (f"/api/v1/namespaces/{ns}/pods/p/nonsense", "/apis/nonsense.io/v1",
                 f"/api/v1/namespaces/{ns}/widgets"):
        status, _, body = fast_cluster.raw("GET", path)
        assert status == 404
        assert body == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                        "message": "the server could not find the requested resource",
                        "reason": "NotFound", "details": {}, "code": 404}


def test_kubectl_debug_adds_a_running_container_that_sees_its_target(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("web", NGINX))
    wait_status(fast_cluster, ns, "web", lambda p: _running(p, "containerStatuses", "nginx-container"))
    result = fast_cluster.kubectl("debug", "-n", ns, "web", "--image=busybox", "-c", "dbg",
                                  "--target=nginx-container", "--", "sleep", "3600")
    assert 'Targeting container "nginx-container"' in result.stderr + result.stdout
    pod = wait_status(fast_cluster, ns, "web",
                      lambda p: _running(p, "ephemeralContainerStatuses", "dbg"))
    added = pod["spec"]["ephemeralContainers"][0]
    assert (added["targetContainerName"], added["imagePullPolicy"],
            added["terminationMessagePath"]) == ("nginx-container", "Always", "/dev/termination-log")
    status = pod["status"]["ephemeralContainerStatuses"][0]
    assert status["ready"] is False and "started" not in status
    assert [s["name"] for s in pod["status"]["containerStatuses"]] == ["nginx-container"]
    ps = fast_cluster.kubectl("exec", "-n", ns, "web", "-c", "dbg", "--", "ps").stdout
    assert "nginx: master process" in ps and "sleep 3600" in ps
    events = fast_cluster.kubectl("get", "events", "-n", ns, "-o",
                                  "custom-columns=REASON:.reason,PATH:.involvedObject.fieldPath")
    assert "spec.ephemeralContainers{dbg}" in events.stdout


def test_ephemeral_containers_can_be_neither_removed_nor_created_with_the_pod(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("web", NGINX))
    fast_cluster.kubectl("debug", "-n", ns, "web", "--image=busybox", "-c", "dbg", "--", "true")
    removal = fast_cluster.kubectl("patch", "-n", ns, "pod", "web", "--subresource=ephemeralcontainers",
                                   "--type=json", "-p", '[{"op":"remove","path":"/spec/ephemeralContainers/0"}]',
                                   check=False)
    assert removal.stderr.strip() == ('The Pod "web" is invalid: spec.ephemeralContainers: Forbidden: '
                                      'existing ephemeral containers "dbg" may not be removed')
    clash = fast_cluster.kubectl("debug", "-n", ns, "web", "--image=busybox", "-c", "nginx-container",
                                 "--", "true", check=False)
    assert 'spec.ephemeralContainers[1].name: Duplicate value: "nginx-container"' in clash.stderr
    status, _, body = fast_cluster.raw("POST", f"/api/v1/namespaces/{ns}/pods", {
        "metadata": {"name": "born-with-one"}, "spec": {
            "containers": [NGINX], "ephemeralContainers": [{"name": "e", "image": "busybox"}]}})
    assert status == 422
    assert body["message"] == ('Pod "born-with-one" is invalid: spec.ephemeralContainers: '
                               'Forbidden: cannot be set on create')
