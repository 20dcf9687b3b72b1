"""Updating live objects with real kubectl: what a pod spec lets change and the real refusal
(with go-cmp's diff) otherwise, an image change restarting its container, and the immutable
fields of Services and Deployments, worded as kube-apiserver words them."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.localcluster.sim_support import (  # noqa: F401 (fixture)
    fast_cluster, get_pod, new_namespace, wait_for, wait_status,
)

SAMPLES = Path(__file__).resolve().parents[2] / "kubetui" / "samples"
REFUSED = (
    'The Pod "sample-pod" is invalid: spec: Forbidden: pod updates may not change fields other '
    "than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
    "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds`"
    " (allow it to be set to 1 if it was previously negative)\n"
    "  core.PodSpec{\n"
    "  \tVolumes:        nil,\n"
    "  \tInitContainers: nil,\n"
    "  \tContainers: []core.Container{\n"
    "  \t\t{\n"
    "  \t\t\tName:       \"nginx-container\",\n"
    "  \t\t\tImage:      \"nginx:1.16\",\n"
    "- \t\t\tCommand:    nil,\n"
    "+ \t\t\tCommand:    []string{\"/bin/sleep\"},\n"
    "- \t\t\tArgs:       nil,\n"
    "+ \t\t\tArgs:       []string{\"3600\"},\n"
    "  \t\t\tWorkingDir: \"\",\n"
    "  \t\t\tPorts:      nil,\n"
    "  \t\t\t... // 19 identical fields\n"
    "  \t\t},\n"
    "  \t},\n"
    "  \tEphemeralContainers: nil,\n"
    "  \tRestartPolicy:       \"Always\",\n"
    "  \t... // 31 identical fields\n"
    "  }\n")


def manifest(tmp_path: Path, name: str, document: dict) -> str:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document))
    return str(path)


def sample_pod(**container) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "sample-pod"},
            "spec": {"containers": [{"name": "nginx-container", "image": "nginx:1.16", **container}]}}


def start_sample_pod(cluster, ns: str, tmp_path: Path) -> None:
    cluster.kubectl("apply", "-n", ns, "-f", str(SAMPLES / "sample-pod.yaml"))
    cluster.kubectl("wait", "-n", ns, "--for=condition=Ready", "pod/sample-pod", "--timeout=60s")


def test_the_notes_second_sample_pod_is_refused_with_the_real_diff(fast_cluster, tmp_path):
    ns = new_namespace(fast_cluster)
    start_sample_pod(fast_cluster, ns, tmp_path)
    again = fast_cluster.kubectl("apply", "-n", ns, "-f", str(SAMPLES / "sample-pod.yaml"))
    assert again.stdout == "pod/sample-pod unchanged\n"
    command = manifest(tmp_path, "command", sample_pod(command=["/bin/sleep"], args=["3600"]))
    refused = fast_cluster.kubectl("apply", "-n", ns, "-f", command, check=False)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.rstrip("\n") == REFUSED.rstrip("\n")
    live = get_pod(fast_cluster, ns, "sample-pod")
    assert "command" not in live["spec"]["containers"][0]
    assert live["metadata"]["generation"] == 1


def test_an_image_change_restarts_the_container_with_the_new_image(fast_cluster, tmp_path):
    ns = new_namespace(fast_cluster)
    start_sample_pod(fast_cluster, ns, tmp_path)
    newer = manifest(tmp_path, "newer", sample_pod(image="nginx:1.17"))
    assert fast_cluster.kubectl("apply", "-n", ns, "-f", newer).stdout == "pod/sample-pod configured\n"
    pod = wait_status(fast_cluster, ns, "sample-pod",
                      lambda p: p["status"]["containerStatuses"][0]["restartCount"] == 1
                      and p["status"]["containerStatuses"][0]["ready"])
    fast_cluster.kubectl("wait", "-n", ns, "--for=condition=Ready", "pod/sample-pod", "--timeout=30s")
    status = pod["status"]["containerStatuses"][0]
    assert status["image"] == "docker.io/library/nginx:1.17"
    assert status["lastState"]["terminated"]["reason"] == "Completed"
    assert pod["metadata"]["generation"] == pod["status"]["observedGeneration"] == 2
    events = json.loads(fast_cluster.kubectl(
        "get", "events", "-n", ns, "-o", "json", "--field-selector",
        "involvedObject.name=sample-pod").stdout)["items"]
    seen = [(e["reason"], e["message"], e.get("count", 1)) for e in events]
    assert ("Killing", "Container nginx-container definition changed, will be restarted", 1) in seen
    assert ("Pulling", 'Pulling image "nginx:1.17"', 1) in seen
    assert any(reason == "Pulled" and "nginx:1.17" in message for reason, message, _ in seen)
    assert ("Created", "Container created", 2) in seen
    assert ("Started", "Container started", 2) in seen
    row = fast_cluster.kubectl("get", "pod", "-n", ns, "sample-pod", "--no-headers").stdout.split()
    assert row[1:4] == ["1/1", "Running", "1"]


def test_what_else_a_pod_update_may_and_may_not_change(fast_cluster, tmp_path):
    ns = new_namespace(fast_cluster)
    start_sample_pod(fast_cluster, ns, tmp_path)

    def patch(body: dict):
        return fast_cluster.kubectl("patch", "-n", ns, "pod/sample-pod", "--type=merge", "-p",
                                    json.dumps({"spec": body}), check=False)

    assert patch({"activeDeadlineSeconds": 600}).returncode == 0
    longer = patch({"activeDeadlineSeconds": 700})
    assert longer.stderr.strip() == (
        'The Pod "sample-pod" is invalid: spec.activeDeadlineSeconds: Invalid value: 700: '
        "must be less than or equal to previous value")
    removed = patch({"activeDeadlineSeconds": None})
    assert removed.stderr.strip() == (
        'The Pod "sample-pod" is invalid: spec.activeDeadlineSeconds: Invalid value: "null": '
        "must not update from a positive integer to nil value")
    added = fast_cluster.kubectl(
        "patch", "-n", ns, "pod/sample-pod", "--type=json", "-p",
        json.dumps([{"op": "add", "path": "/spec/tolerations/-",
                     "value": {"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"}}]))
    assert added.returncode == 0
    changed = fast_cluster.kubectl(
        "patch", "-n", ns, "pod/sample-pod", "--type=json", "-p",
        json.dumps([{"op": "replace", "path": "/spec/tolerations/2/effect", "value": "NoExecute"}]),
        check=False)
    assert changed.stderr.strip() == (
        'The Pod "sample-pod" is invalid: spec.tolerations: Forbidden: existing toleration can '
        "not be modified except its tolerationSeconds")
    more = fast_cluster.kubectl(
        "patch", "-n", ns, "pod/sample-pod", "--type=json", "-p",
        json.dumps([{"op": "add", "path": "/spec/containers/-",
                     "value": {"name": "redis", "image": "redis:3.2"}}]), check=False)
    assert more.stderr.strip() == (
        'The Pod "sample-pod" is invalid: spec.containers: Forbidden: pod updates may not add or '
        "remove containers")
    assert fast_cluster.kubectl("set", "image", "-n", ns, "pod/sample-pod",
                                "nginx-container=nginx:1.17").returncode == 0


def test_service_cluster_ip_and_deployment_selector_cannot_change(fast_cluster, tmp_path):
    ns = new_namespace(fast_cluster)
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
               "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}
    fast_cluster.kubectl("apply", "-n", ns, "-f", manifest(tmp_path, "svc", service))
    service["spec"]["clusterIP"] = "10.96.200.200"
    moved = fast_cluster.kubectl("apply", "-n", ns, "-f", manifest(tmp_path, "svc", service),
                                 check=False)
    assert moved.stderr.strip() == (
        'The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.200.200"}: '
        "may not change once set")
    del service["spec"]["clusterIP"]
    service["spec"]["ports"][0]["name"] = "http"
    assert fast_cluster.kubectl("replace", "-n", ns, "-f",
                                manifest(tmp_path, "svc", service)).returncode == 0  # IP kept
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                  "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}},
                                        "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}
    fast_cluster.kubectl("apply", "-n", ns, "-f", manifest(tmp_path, "deploy", deployment))
    deployment["spec"]["selector"]["matchLabels"]["app"] = "api"
    deployment["spec"]["template"]["metadata"]["labels"]["app"] = "api"
    refused = fast_cluster.kubectl("apply", "-n", ns, "-f", manifest(tmp_path, "deploy", deployment),
                                   check=False)
    assert refused.stderr.strip() == (
        'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{'
        'MatchLabels:map[string]string{"app":"api"}, MatchExpressions:[]v1.LabelSelectorRequirement'
        '(nil)}: field is immutable')
