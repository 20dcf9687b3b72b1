"""Cordon, the policy/v1 eviction subresource and `kubectl drain`, through the venv's kubectl.

The module has a cluster of its own: a drain moves every pod off a node."""

from __future__ import annotations

from tests.localcluster.sim_support import (  # noqa: F401 (fixture)
    fast_cluster, get_pod, new_namespace, wait_for, wait_status,
)

from tests.support.pods import pod_manifest

NGINX = {"name": "web", "image": "nginx:1.16"}


def _running(pod: dict) -> bool:
    return pod["status"].get("phase") == "Running"


def _pods(running, namespace: str) -> list[dict]:
    _, _, body = running.raw("GET", f"/api/v1/namespaces/{namespace}/pods")
    return [p for p in body["items"] if not p["metadata"].get("deletionTimestamp")]


def test_an_eviction_marks_the_pod_then_deletes_it_gracefully(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("victim", NGINX))
    wait_status(fast_cluster, ns, "victim", _running)
    path = f"/api/v1/namespaces/{ns}/pods/victim/eviction"
    eviction = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "victim"}}
    status, _, body = fast_cluster.raw("POST", path, eviction, token=fast_cluster.cluster.viewer_token)
    assert (status, body["message"]) == (403, f'pods "victim" is forbidden: User "viewer" cannot create '
                                              f'resource "pods/eviction" in API group "" in the namespace "{ns}"')
    status, _, body = fast_cluster.raw("POST", path, dict(eviction, metadata={"name": "other"}))
    assert (status, body["message"]) == (400, "name in URL does not match name in Eviction object")
    status, _, body = fast_cluster.raw("POST", path, eviction)
    assert (status, body) == (201, {"kind": "Status", "apiVersion": "v1", "metadata": {},
                                    "status": "Success", "code": 201})
    pod = get_pod(fast_cluster, ns, "victim")
    assert pod is None or pod["metadata"]["deletionTimestamp"]
    if pod is not None:
        condition = next(c for c in pod["status"]["conditions"] if c["type"] == "DisruptionTarget")
        assert (condition["reason"], condition["message"]) == ("EvictionByEvictionAPI", "Eviction API: evicting")
    wait_for(lambda: get_pod(fast_cluster, ns, "victim") is None, message="evicted pod gone")


def test_cordon_keeps_new_pods_off_the_node_with_the_schedulers_words(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.kubectl("cordon", "kubetui-node-1", "kubetui-node-2")
    try:
        fast_cluster.raw.create_pod(ns, pod_manifest("waiting", NGINX))
        message = ("0/2 nodes are available: 2 node(s) were unschedulable. preemption: 0/2 nodes are "
                   "available: 2 Preemption is not helpful for scheduling.")
        pod = wait_status(fast_cluster, ns, "waiting", lambda p: any(
            c.get("message") == message for c in p["status"].get("conditions") or []))
        assert "nodeName" not in pod["spec"]
        described = fast_cluster.kubectl("describe", "node", "kubetui-node-2").stdout
        assert "Taints:             node.kubernetes.io/unschedulable:NoSchedule" in described
        assert "Unschedulable:      true" in described
        fast_cluster.kubectl("uncordon", "kubetui-node-2")
        pod = wait_status(fast_cluster, ns, "waiting", lambda p: p["spec"].get("nodeName"))
        assert pod["spec"]["nodeName"] == "kubetui-node-2"
        events = fast_cluster.kubectl("get", "events", "-A", "--field-selector",
                                      "involvedObject.name=kubetui-node-2").stdout
        assert "Node kubetui-node-2 status is now: NodeNotSchedulable" in events
        assert "Node kubetui-node-2 status is now: NodeSchedulable" in events
    finally:
        fast_cluster.kubectl("uncordon", "kubetui-node-1", "kubetui-node-2")
        fast_cluster.kubectl("delete", "pod", "-n", ns, "waiting", "--grace-period=0", "--force")


def test_kubectl_drain_evicts_replicated_pods_and_refuses_bare_ones(fast_cluster):
    ns = new_namespace(fast_cluster)
    manifest = f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: {ns}}}
spec:
  replicas: 4
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers: [{{name: web, image: "nginx:1.16", volumeMounts: [{{name: scratch, mountPath: /scratch}}]}}]
      volumes: [{{name: scratch, emptyDir: {{}}}}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {{name: agent, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: agent}}}}
  template:
    metadata: {{labels: {{app: agent}}}}
    spec:
      containers: [{{name: agent, image: "busybox:1.36", command: [sleep, "3600"]}}]
"""
    fast_cluster.kubectl("apply", "-f", "-", input=manifest)
    wait_for(lambda: len([p for p in _pods(fast_cluster, ns) if _running(p)]) == 6, message="4 web, 2 agents")
    node = next(p["spec"]["nodeName"] for p in _pods(fast_cluster, ns) if p["metadata"]["name"].startswith("web-"))
    agent = next(p["metadata"]["name"] for p in _pods(fast_cluster, ns)
                 if p["metadata"]["name"].startswith("agent-") and p["spec"]["nodeName"] == node)
    fast_cluster.raw.create_pod(ns, pod_manifest("bare", NGINX, nodeName=node))
    try:
        refused = fast_cluster.kubectl("drain", node, "--ignore-daemonsets", "--delete-emptydir-data",
                                       "--timeout=60s", check=False)
        assert refused.returncode != 0
        assert (f"cannot delete Pods that declare no controller (use --force to override): {ns}/bare"
                in refused.stderr)
        fast_cluster.kubectl("delete", "pod", "-n", ns, "bare", "--wait=false")
        wait_for(lambda: get_pod(fast_cluster, ns, "bare") is None, message="bare pod gone")
        drained = fast_cluster.kubectl("drain", node, "--ignore-daemonsets", "--delete-emptydir-data",
                                       "--timeout=60s")
        assert f"node/{node} already cordoned" in drained.stdout
        assert f"node/{node} drained" in drained.stdout
        assert "evicting pod " + ns + "/web-" in drained.stderr + drained.stdout
        assert f"Warning: ignoring DaemonSet-managed Pods: {ns}/{agent}" in drained.stderr
        wait_for(lambda: len([p for p in _pods(fast_cluster, ns) if _running(p)]) == 6,
                 message="4 web pods again")
        web = [p for p in _pods(fast_cluster, ns) if p["metadata"]["name"].startswith("web-")]
        assert {p["spec"]["nodeName"] for p in web} == {"kubetui-node-1", "kubetui-node-2"} - {node}
        assert get_pod(fast_cluster, ns, agent)["status"]["phase"] == "Running"  # left in place
    finally:
        fast_cluster.kubectl("uncordon", node)



def test_a_daemonset_runs_one_pod_per_node_and_replaces_it(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.kubectl("create", "-n", ns, "-f", "-", input="""
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: logs}
spec:
  selector: {matchLabels: {app: logs}}
  template:
    metadata: {labels: {app: logs}}
    spec: {containers: [{name: logs, image: "busybox:1.36", command: [sleep, "3600"]}]}
""")
    wait_for(lambda: len([p for p in _pods(fast_cluster, ns) if _running(p)]) == 2, message="2 daemon pods")
    pods = _pods(fast_cluster, ns)
    assert sorted(p["spec"]["nodeName"] for p in pods) == ["kubetui-node-1", "kubetui-node-2"]
    tolerated = {(t["key"], t["effect"]) for t in pods[0]["spec"]["tolerations"]}
    assert ("node.kubernetes.io/unschedulable", "NoSchedule") in tolerated
    shown = fast_cluster.kubectl("get", "ds", "-n", ns, "--no-headers").stdout.split()
    assert shown[:7] == ["logs", "2", "2", "2", "2", "2", "<none>"]
    fast_cluster.kubectl("delete", "pod", "-n", ns, pods[0]["metadata"]["name"], "--wait=false")
    wait_for(lambda: {p["spec"].get("nodeName") for p in _pods(fast_cluster, ns) if _running(p)
                      and p["metadata"]["name"] != pods[0]["metadata"]["name"]} == {"kubetui-node-1", "kubetui-node-2"},
             message="the deleted daemon pod replaced on its node")
    fast_cluster.kubectl("delete", "ds", "-n", ns, "logs")
    wait_for(lambda: not _pods(fast_cluster, ns), message="daemon pods collected")
