"""The Deployment controller, the scale subresource and garbage collection, through real kubectl.

Most tests assert on ReplicaSets and pod existence and ownership, which need no kubelet; the
default RollingUpdate test needs pods to become Ready, which the simulated kubelet provides."""

from __future__ import annotations

import re

import yaml

from tests.localcluster.workload_support import live, owned_by
from tests.support.clusters import cluster_fixture
from tests.support.waiting import wait_for

NAMESPACE = "default"
HASH = re.compile(r"^[bcdfghjklmnpqrstvwxz2456789]{6,10}$")


def deployment_manifest(name: str, app: str, replicas: int = 3, image: str = "nginx:1.16",
                        strategy: dict | None = None) -> str:
    spec = {"replicas": replicas, "selector": {"matchLabels": {"app": app}},
            "template": {"metadata": {"labels": {"app": app}},
                         "spec": {"containers": [{"name": "nginx-container", "image": image}]}}}
    if strategy:
        spec["strategy"] = strategy
    return yaml.safe_dump({"apiVersion": "apps/v1", "kind": "Deployment",
                           "metadata": {"name": name}, "spec": spec})


# time_scale: the simulated kubelet pulls and starts containers faster (pods become Ready).
running = cluster_fixture(time_scale=10.0)


def apply(running, tmp_path, manifest: str) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(manifest)
    running.kubectl("apply", "-f", str(path))


def read(running, plural: str, name: str) -> dict | None:
    status, _, body = running.raw.call("GET", f"/apis/apps/v1/namespaces/{NAMESPACE}/{plural}/{name}")
    return body if status == 200 else None


def replica_sets_of(running, deployment: dict) -> list[dict]:
    items = running.get_json(running.apps.list_namespaced_replica_set, NAMESPACE)["items"]
    return [rs for rs in items if owned_by(rs, deployment)]


def pods_of(running, rs: dict) -> list[dict]:
    items = running.get_json(running.core.list_namespaced_pod, NAMESPACE)["items"]
    return [pod for pod in items if owned_by(pod, rs)]


def the_replica_set(running, name: str) -> dict:
    deployment = read(running, "deployments", name)
    sets = wait_for(lambda: replica_sets_of(running, deployment), message=f"{name}'s ReplicaSet")
    assert len(sets) == 1, [rs["metadata"]["name"] for rs in sets]
    return sets[0]


def test_deployment_owns_a_replicaset_named_by_template_hash(running, tmp_path):
    apply(running, tmp_path, deployment_manifest("sample-deployment", "sample-app"))
    deployment = read(running, "deployments", "sample-deployment")
    rs = the_replica_set(running, "sample-deployment")
    template_hash = rs["metadata"]["labels"]["pod-template-hash"]
    assert HASH.match(template_hash)
    assert rs["metadata"]["name"] == f"sample-deployment-{template_hash}"
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "sample-app",
                                                     "pod-template-hash": template_hash}
    assert rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"] == template_hash
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    (ref,) = rs["metadata"]["ownerReferences"]
    assert ref["kind"] == "Deployment" and ref["uid"] == deployment["metadata"]["uid"]
    assert ref["controller"] is True and ref["blockOwnerDeletion"] is True
    pods = wait_for(lambda: len(live(pods_of(running, rs))) == 3 and pods_of(running, rs),
                    message="3 pods")
    assert all(pod["metadata"]["labels"]["pod-template-hash"] == template_hash for pod in pods)
    wait_for(lambda: (read(running, "deployments", "sample-deployment")["metadata"]
                      .get("annotations", {}).get("deployment.kubernetes.io/revision")) == "1",
             message="revision annotation on the deployment")
    status = wait_for(lambda: read(running, "deployments", "sample-deployment")["status"]
                      .get("updatedReplicas") == 3
                      and read(running, "deployments", "sample-deployment")["status"],
                      message="updatedReplicas 3")
    assert status["observedGeneration"] == 1
    assert status["replicas"] == 3
    progressing = {c["type"]: c for c in status["conditions"]}["Progressing"]
    assert progressing["status"] == "True"


def deployment_with_pods(running, tmp_path, name: str, replicas: int = 3) -> dict:
    """A Deployment of this test's own (app label = its name) once its pods exist, so each test
    stands alone; returns its ReplicaSet."""
    apply(running, tmp_path, deployment_manifest(name, name, replicas=replicas))
    rs = the_replica_set(running, name)
    wait_for(lambda: len(live(pods_of(running, rs))) == replicas, message=f"{replicas} pods of {name}")
    return rs


def scaled_to_five(running, tmp_path, name: str) -> dict:
    rs = deployment_with_pods(running, tmp_path, name)
    result = running.kubectl("scale", "deployment", name, "--replicas=5")
    assert result.stdout.strip() == f"deployment.apps/{name} scaled"
    wait_for(lambda: len(live(pods_of(running, rs))) == 5, message="5 live pods")
    return rs


def test_kubectl_scale_deployment_gives_five_pods(running, tmp_path):
    scaled_to_five(running, tmp_path, "scaled-web")
    assert read(running, "deployments", "scaled-web")["spec"]["replicas"] == 5


def test_controllers_record_events_that_describe_shows(running, tmp_path):
    rs = scaled_to_five(running, tmp_path, "described-web")
    name = rs["metadata"]["name"]
    described = running.kubectl("describe", "deployment", "described-web").stdout
    assert f"Scaled up replica set {name} from 0 to 3" in described
    assert f"Scaled up replica set {name} from 3 to 5" in described
    assert "deployment-controller" in described
    events = running.kubectl("get", "events", "--field-selector",
                             f"involvedObject.name={name}", "-o", "json").stdout
    reasons = {item["reason"] for item in yaml.safe_load(events)["items"]}
    assert "SuccessfulCreate" in reasons


def test_deleting_a_pod_of_the_deployment_brings_a_replacement(running, tmp_path):
    rs = deployment_with_pods(running, tmp_path, "replaced-web")
    victim = live(pods_of(running, rs))[0]["metadata"]["name"]
    running.kubectl("delete", "pod", victim, "--wait=false")

    def replaced():
        names = [pod["metadata"]["name"] for pod in live(pods_of(running, rs))]
        return len(names) == 3 and victim not in names

    wait_for(replaced, message=f"a replacement for {victim}")


def test_scale_subresource_reads_and_writes(running, tmp_path):
    apply(running, tmp_path, deployment_manifest("scale-sub", "scale-sub", replicas=5))
    path = f"/apis/apps/v1/namespaces/{NAMESPACE}/deployments/scale-sub/scale"
    status, _, scale = running.raw.call("GET", path)
    assert status == 200
    assert scale["kind"] == "Scale" and scale["apiVersion"] == "autoscaling/v1"
    assert scale["spec"] == {"replicas": 5}
    assert scale["status"]["selector"] == "app=scale-sub"
    status, _, bad = running.raw.call("PATCH", path, {"spec": {"replicas": -1}},
                                 headers={"Content-Type": "application/merge-patch+json"})
    assert status == 422 and bad["reason"] == "Invalid"
    stale = dict(scale, spec={"replicas": 4})
    stale["metadata"] = dict(scale["metadata"], resourceVersion="1")
    status, _, conflict = running.raw.call("PUT", path, stale)
    assert status == 409 and conflict["reason"] == "Conflict"


def test_scale_is_listed_in_discovery_as_autoscaling_v1(running):
    _, _, resources = running.raw.call("GET", "/apis/apps/v1")
    entries = {entry["name"]: entry for entry in resources["resources"]}
    for name in ("deployments/scale", "replicasets/scale"):
        assert entries[name]["kind"] == "Scale"
        assert (entries[name]["group"], entries[name]["version"]) == ("autoscaling", "v1")


def test_viewer_cannot_scale(running, tmp_path):
    apply(running, tmp_path, deployment_manifest("viewer-web", "viewer-web"))
    result = running.kubectl("scale", "deployment", "viewer-web", "--replicas=2",
                             context="kubetui-local-viewer", check=False)
    assert result.returncode != 0
    assert 'cannot patch resource "deployments/scale"' in result.stderr


def test_kubectl_get_deploy_columns(running, tmp_path):
    scaled_to_five(running, tmp_path, "columns-web")
    wait_for(lambda: (read(running, "deployments", "columns-web")["status"].get("updatedReplicas") == 5),
             message="5 updated replicas")
    output = running.kubectl("get", "deploy", "columns-web").stdout.splitlines()
    assert output[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    name, ready, updated, available, _age = output[1].split()
    assert name == "columns-web"
    assert ready.endswith("/5") and updated == "5"
    wide = running.kubectl("get", "deploy", "columns-web", "-o", "wide").stdout.splitlines()
    assert wide[0].split()[-3:] == ["CONTAINERS", "IMAGES", "SELECTOR"]
    assert wide[1].split()[-3:] == ["nginx-container", "nginx:1.16", "app=columns-web"]


def test_recreate_template_change_moves_all_pods_to_a_new_replicaset(running, tmp_path):
    apply(running, tmp_path, deployment_manifest("recreate-web", "recreate-web", replicas=2,
                                                 strategy={"type": "Recreate"}))
    deployment = read(running, "deployments", "recreate-web")
    first = the_replica_set(running, "recreate-web")
    wait_for(lambda: len(live(pods_of(running, first))) == 2, message="2 pods of revision 1")
    running.kubectl("set", "image", "deployment/recreate-web", "nginx-container=nginx:1.27")

    def rolled():
        sets = {rs["metadata"]["name"]: rs for rs in replica_sets_of(running, deployment)}
        new = [rs for name, rs in sets.items() if name != first["metadata"]["name"]]
        return (len(new) == 1 and new[0]["spec"]["replicas"] == 2
                and sets[first["metadata"]["name"]]["spec"]["replicas"] == 0 and new[0])

    new = wait_for(rolled, message="revision 2 with all replicas")
    assert new["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    assert new["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    wait_for(lambda: len(live(pods_of(running, new))) == 2
             and not live(pods_of(running, first)), message="pods moved to revision 2")
    wait_for(lambda: read(running, "deployments", "recreate-web")["metadata"]["annotations"]
             .get("deployment.kubernetes.io/revision") == "2", message="deployment revision 2")


def test_default_rolling_update_completes_with_kubectl_rollout_status(running, tmp_path):
    apply(running, tmp_path, deployment_manifest("rollout-web", "rollout-web", replicas=3))
    running.kubectl("rollout", "status", "deployment/rollout-web", "--timeout=90s", timeout=100)
    running.kubectl("set", "image", "deployment/rollout-web", "nginx-container=nginx:1.27")
    result = running.kubectl("rollout", "status", "deployment/rollout-web", "--timeout=90s",
                             timeout=100)
    assert 'deployment "rollout-web" successfully rolled out' in result.stdout
    deployment = read(running, "deployments", "rollout-web")
    status = deployment["status"]
    assert (status["replicas"], status["updatedReplicas"], status["readyReplicas"],
            status["availableReplicas"]) == (3, 3, 3, 3)
    assert "unavailableReplicas" not in status and status["observedGeneration"] == 2
    conditions = {c["type"]: c for c in status["conditions"]}
    assert conditions["Available"]["reason"] == "MinimumReplicasAvailable"
    assert conditions["Available"]["message"] == "Deployment has minimum availability."
    new_name = next(rs["metadata"]["name"] for rs in replica_sets_of(running, deployment)
                    if rs["spec"]["replicas"] == 3)
    assert conditions["Progressing"]["reason"] == "NewReplicaSetAvailable"
    assert conditions["Progressing"]["message"] == \
        f'ReplicaSet "{new_name}" has successfully progressed.'
    old = [rs for rs in replica_sets_of(running, deployment) if rs["metadata"]["name"] != new_name]
    assert [rs["spec"]["replicas"] for rs in old] == [0]
    ready = running.kubectl("get", "deploy", "rollout-web").stdout.splitlines()[1].split()
    assert ready[1:4] == ["3/3", "3", "3"]


def test_rolling_update_creates_a_new_replicaset_and_retires_the_old(running, tmp_path):
    # maxUnavailable 100%: the rollout needs no pod to become ready, so it completes with or
    # without the simulated kubelet.
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": "100%"}}
    apply(running, tmp_path, deployment_manifest("rolling-web", "rolling-web", replicas=3,
                                                 strategy=strategy))
    deployment = read(running, "deployments", "rolling-web")
    first = the_replica_set(running, "rolling-web")
    running.kubectl("set", "image", "deployment/rolling-web", "nginx-container=nginx:1.27")

    def rolled():
        sets = {rs["metadata"]["name"]: rs for rs in replica_sets_of(running, deployment)}
        new = [rs for name, rs in sets.items() if name != first["metadata"]["name"]]
        return (len(new) == 1 and new[0]["spec"]["replicas"] == 3
                and sets[first["metadata"]["name"]]["spec"]["replicas"] == 0 and new[0])

    new = wait_for(rolled, message="rolled to revision 2")
    assert new["metadata"]["labels"]["pod-template-hash"] != \
        first["metadata"]["labels"]["pod-template-hash"]
    history = running.kubectl("rollout", "history", "deployment/rolling-web").stdout
    assert re.search(r"^1\s", history, re.M) and re.search(r"^2\s", history, re.M)
    running.kubectl("rollout", "undo", "deployment/rolling-web")
    wait_for(lambda: (read(running, "replicasets", first["metadata"]["name"])["metadata"]
                      ["annotations"]["deployment.kubernetes.io/revision"]) == "3",
             message="undo revives the first ReplicaSet as revision 3")


def test_deleting_a_deployment_removes_its_replicasets_and_pods(running, tmp_path):
    apply(running, tmp_path, deployment_manifest("doomed", "doomed", replicas=2))
    rs = the_replica_set(running, "doomed")
    wait_for(lambda: len(live(pods_of(running, rs))) == 2, message="2 pods")
    running.kubectl("delete", "deployment", "doomed")
    wait_for(lambda: read(running, "replicasets", rs["metadata"]["name"]) is None,
             message="the ReplicaSet gone")
    wait_for(lambda: not pods_of(running, rs), message="its pods gone")


def test_orphan_deletion_keeps_the_replicaset_without_owner(running, tmp_path):
    apply(running, tmp_path, deployment_manifest("orphaner", "orphaner", replicas=1))
    rs = the_replica_set(running, "orphaner")
    wait_for(lambda: len(live(pods_of(running, rs))) == 1, message="1 pod")
    running.kubectl("delete", "deployment", "orphaner", "--cascade=orphan")
    wait_for(lambda: read(running, "deployments", "orphaner") is None, message="deployment gone")
    def orphaned():
        obj = read(running, "replicasets", rs["metadata"]["name"])
        return obj if obj and "ownerReferences" not in obj["metadata"] else None

    kept = wait_for(orphaned, message="orphaned ReplicaSet")
    assert kept["metadata"]["uid"] == rs["metadata"]["uid"]
    assert len(live(pods_of(running, rs))) == 1
    # Created again, the Deployment adopts its old ReplicaSet instead of starting over.
    apply(running, tmp_path, deployment_manifest("orphaner", "orphaner", replicas=1))
    again = read(running, "deployments", "orphaner")
    wait_for(lambda: owned_by(read(running, "replicasets", rs["metadata"]["name"]), again),
             message="the ReplicaSet adopted by the new Deployment")
    assert [r["metadata"]["uid"] for r in replica_sets_of(running, again)] == [rs["metadata"]["uid"]]
    assert len(live(pods_of(running, rs))) == 1


def test_foreground_deletion_removes_dependents_then_the_owner(running, tmp_path):
    apply(running, tmp_path, deployment_manifest("foreground", "foreground", replicas=2))
    rs = the_replica_set(running, "foreground")
    wait_for(lambda: len(live(pods_of(running, rs))) == 2, message="2 pods")
    running.kubectl("delete", "deployment", "foreground", "--cascade=foreground", "--wait=false")
    wait_for(lambda: read(running, "deployments", "foreground") is None
             and read(running, "replicasets", rs["metadata"]["name"]) is None
             and not pods_of(running, rs), timeout=60, message="everything gone")
