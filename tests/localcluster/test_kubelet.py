"""The simulated kubelet through the real API: pod lifecycle, init containers, native sidecars,
port clashes, crash loops, restart policies and graceful deletion, as kubectl shows them."""

from __future__ import annotations

import ipaddress
import re

from kubetui.localcluster.apimachinery.clock import parse_rfc3339
from tests.localcluster.sim_support import PodWatch, get_pod, new_namespace, row, wait_status
from tests.support.pods import container, pod_manifest, script_container
from tests.support.waiting import wait_for

NGINX = container("nginx-container", "nginx:1.16")
CONTAINER_ID = re.compile(r"^containerd://[0-9a-f]{64}$")
IMAGE_ID = re.compile(r"^docker\.io/library/nginx@sha256:[0-9a-f]{64}$")


def is_running(pod: dict) -> bool:
    return row(pod).status == "Running" and row(pod).ready.split("/")[0] == row(pod).ready.split("/")[1]


def test_pod_goes_from_pending_through_container_creating_to_running(fast_cluster):
    ns = new_namespace(fast_cluster)
    watch = PodWatch(fast_cluster, ns)
    try:
        fast_cluster.raw.create_pod(ns, pod_manifest("sample-pod", NGINX))
        pod = wait_status(fast_cluster, ns, "sample-pod", is_running)
        statuses = watch.saw("sample-pod", "Running")
    finally:
        watch.close()
    assert statuses[0] == "Pending" and statuses[-1] == "Running"
    assert "ContainerCreating" in statuses
    status = pod["status"]
    container = status["containerStatuses"][0]
    assert CONTAINER_ID.match(container["containerID"])
    assert IMAGE_ID.match(container["imageID"])
    assert container["image"] == "docker.io/library/nginx:1.16"
    assert container["started"] is True and container["ready"] is True
    assert container["restartCount"] == 0 and container["lastState"] == {}
    assert parse_rfc3339(container["state"]["running"]["startedAt"]) is not None
    assert ipaddress.ip_address(status["podIP"]) in ipaddress.ip_network("10.244.0.0/16")
    assert status["podIPs"] == [{"ip": status["podIP"]}]
    assert status["hostIP"] in ("172.18.0.2", "172.18.0.3")
    assert pod["spec"]["nodeName"] in ("kubetui-node-1", "kubetui-node-2")
    assert pod["metadata"]["generation"] == status["observedGeneration"] == 1  # binding: no bump
    assert status["qosClass"] == "BestEffort" and parse_rfc3339(status["startTime"])
    conditions = {c["type"]: c for c in status["conditions"]}
    assert list(conditions) == ["PodReadyToStartContainers", "Initialized", "Ready",
                                "ContainersReady", "PodScheduled"]
    assert all(c["status"] == "True" and parse_rfc3339(c["lastTransitionTime"])
               for c in conditions.values())


def test_two_containers_show_2_of_2_running_in_kubectl(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("sample-2pod", NGINX, container("redis-container", "redis:3.2")))
    wait_status(fast_cluster, ns, "sample-2pod", is_running)
    out = fast_cluster.kubectl("get", "pods", "-n", ns).stdout
    assert re.search(r"^sample-2pod\s+2/2\s+Running\s+0\s+", out, re.M), out


def test_port_clash_shows_1_of_2_then_crash_loop_with_the_bind_error(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("sample-port-clash", container("nginx-container-1", "nginx:1.16"),
                                                 container("nginx-container-2", "nginx:1.17")))
    wait_status(fast_cluster, ns, "sample-port-clash",
                lambda p: p["status"]["containerStatuses"][1]["restartCount"] >= 2)

    def clash_row():
        out = fast_cluster.kubectl("get", "pods", "-n", ns).stdout
        return re.search(r"^sample-port-clash\s+1/2\s+(Error|CrashLoopBackOff)\s+\d+", out, re.M)
    wait_for(clash_row, timeout=20, message="1/2 Error or CrashLoopBackOff")
    logs = fast_cluster.kubectl("logs", "-n", ns, "sample-port-clash", "-c", "nginx-container-2",
                                "--previous").stdout.splitlines()
    assert re.fullmatch(r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[emerg\] 1#1: bind\(\) to 0\.0\.0\.0:80 "
                        r"failed \(98: Address already in use\)", logs[0]), logs
    assert logs[1] == "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)"
    assert logs[-1] == "nginx: [emerg] still could not bind()"
    pod = get_pod(fast_cluster, ns, "sample-port-clash")
    first, second = pod["status"]["containerStatuses"]
    assert first["ready"] and "running" in first["state"] and first["restartCount"] == 0
    last = second["lastState"]["terminated"]
    assert last["exitCode"] == 1 and last["reason"] == "Error"
    assert parse_rfc3339(last["finishedAt"]) >= parse_rfc3339(last["startedAt"])

    def back_off_event():
        out = fast_cluster.kubectl("get", "events", "-n", ns).stdout
        return re.search(r"Warning\s+BackOff\s+pod/sample-port-clash\s+Back-off restarting failed "
                         r"container nginx-container-2 in pod sample-port-clash_" + ns +
                         r"\(" + pod["metadata"]["uid"] + r"\)", out)
    wait_for(back_off_event, message="BackOff event")


def test_init_containers_run_in_order_before_the_app(fast_cluster):
    ns = new_namespace(fast_cluster)
    watch = PodWatch(fast_cluster, ns)
    try:
        fast_cluster.raw.create_pod(ns, pod_manifest("sample-init", NGINX, initContainers=[
            script_container("wait-for-config", "echo waiting; sleep 5; echo ready"),
            script_container("prepare-content", "sleep 3; echo prepared")]))
        pod = wait_status(fast_cluster, ns, "sample-init", is_running)
        statuses = watch.saw("sample-init", "Running")
    finally:
        watch.close()
    order = [s for s in statuses if s in ("Init:0/2", "Init:1/2", "PodInitializing", "Running")]
    assert order == ["Init:0/2", "Init:1/2", "PodInitializing", "Running"], statuses
    inits = pod["status"]["initContainerStatuses"]
    assert [s["state"]["terminated"]["reason"] for s in inits] == ["Completed", "Completed"]
    first_end = parse_rfc3339(inits[0]["state"]["terminated"]["finishedAt"])
    assert parse_rfc3339(inits[1]["state"]["terminated"]["startedAt"]) >= first_end
    logs = fast_cluster.kubectl("logs", "-n", ns, "sample-init", "-c", "wait-for-config").stdout
    assert logs == "waiting\nready\n"


def test_native_sidecar_keeps_running_and_counts_in_ready(fast_cluster):
    ns = new_namespace(fast_cluster)
    sidecar = {**script_container("content-sync", "while true; do echo synced; sleep 10; done"),
               "restartPolicy": "Always"}
    fast_cluster.raw.create_pod(ns, pod_manifest("sample-sidecar", NGINX, initContainers=[sidecar]))
    pod = wait_status(fast_cluster, ns, "sample-sidecar", is_running)
    assert row(pod).ready == "2/2"
    status = pod["status"]["initContainerStatuses"][0]
    assert "running" in status["state"] and status["started"] is True and status["ready"] is True
    wait_for(lambda: fast_cluster.kubectl("logs", "-n", ns, "sample-sidecar", "-c",
                                          "content-sync").stdout.count("synced\n") >= 2,
             message="two sync lines")


def test_crash_loop_restarts_grow_and_keep_the_last_termination(fast_cluster):
    ns = new_namespace(fast_cluster)
    watch = PodWatch(fast_cluster, ns)
    try:
        fast_cluster.raw.create_pod(ns, pod_manifest(
            "sample-crashloop", script_container("app-container", "echo starting; sleep 2; echo fatal >&2; exit 3")))
        pod = wait_status(fast_cluster, ns, "sample-crashloop",
                          lambda p: p["status"]["containerStatuses"][0]["restartCount"] >= 3,
                          timeout=30)
        watch.saw("sample-crashloop", "CrashLoopBackOff")
        wait_for(lambda: any(v["status"]["containerStatuses"][0]["restartCount"] >= 3
                             for v in watch.versions("sample-crashloop")
                             if v["status"].get("containerStatuses")), message="third restart seen")
        statuses = watch.statuses("sample-crashloop")
    finally:
        watch.close()
    assert "Error" in statuses and "CrashLoopBackOff" in statuses
    assert statuses.index("Error") < statuses.index("CrashLoopBackOff")
    container = pod["status"]["containerStatuses"][0]
    assert container["lastState"]["terminated"]["exitCode"] == 3
    assert re.fullmatch(r"\d+ \(\d+s ago\)", row(pod).restarts), row(pod).restarts
    waiting = [v["status"]["containerStatuses"][0]["state"].get("waiting") or {}
               for v in watch.versions("sample-crashloop") if v["status"].get("containerStatuses")]
    messages = [w["message"] for w in waiting if w.get("reason") == "CrashLoopBackOff"]
    assert messages[0].startswith("back-off 10s restarting failed container=app-container pod="
                                  f"sample-crashloop_{ns}(")
    assert any(m.startswith("back-off 20s") for m in messages)
    previous = fast_cluster.kubectl("logs", "-n", ns, "sample-crashloop", "--previous").stdout
    assert previous == "starting\nfatal\n"


def test_missing_image_tag_gives_err_image_pull_then_back_off(fast_cluster):
    ns = new_namespace(fast_cluster)
    watch = PodWatch(fast_cluster, ns)
    try:
        fast_cluster.raw.create_pod(ns, pod_manifest("sample-imagepull",
                                                     container("nginx-container", "nginx:doesnotexist")))
        pod = wait_status(fast_cluster, ns, "sample-imagepull",
                          lambda p: row(p).status == "ImagePullBackOff")
        statuses = watch.saw("sample-imagepull", "ImagePullBackOff")
    finally:
        watch.close()
    assert statuses.index("ErrImagePull") < statuses.index("ImagePullBackOff")
    waiting = pod["status"]["containerStatuses"][0]["state"]["waiting"]
    assert waiting["message"].startswith(
        'Back-off pulling image "nginx:doesnotexist": ErrImagePull: rpc error: code = NotFound '
        'desc = failed to pull and unpack image "docker.io/library/nginx:doesnotexist"')
    events = fast_cluster.kubectl("get", "events", "-n", ns).stdout
    assert 'Failed to pull image "nginx:doesnotexist"' in events and "Error: ErrImagePull" in events
    assert 'Back-off pulling image "nginx:doesnotexist"' in events


def test_invalid_image_reference_is_invalid_image_name(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("upper", container("c", "NGINX")))
    fast_cluster.raw.create_pod(ns, pod_manifest("colons", container("c", "nginx::1")))
    upper = wait_status(fast_cluster, ns, "upper", lambda p: row(p).status == "InvalidImageName")
    wait_status(fast_cluster, ns, "colons", lambda p: row(p).status == "InvalidImageName")
    assert upper["status"]["containerStatuses"][0]["state"]["waiting"]["message"] == (
        'Failed to apply default image tag "NGINX": couldn\'t parse image name "NGINX": invalid '
        "reference format: repository name (library/NGINX) must be lowercase")
    events = fast_cluster.kubectl("get", "events", "-n", ns).stdout
    assert "InspectFailed" in events and "Error: InvalidImageName" in events


def test_restart_policies_never_and_on_failure_reach_their_phases(fast_cluster):
    ns = new_namespace(fast_cluster)
    cases = {"never-ok": ("Never", 0), "never-fail": ("Never", 1),
             "onfailure-ok": ("OnFailure", 0), "onfailure-fail": ("OnFailure", 1)}
    for name, (policy, code) in cases.items():
        fast_cluster.raw.create_pod(ns, pod_manifest(name, script_container("job", f"echo run; sleep 1; exit {code}"),
                                                     restartPolicy=policy))
    expected = {"never-ok": ("Succeeded", "Completed"), "never-fail": ("Failed", "Error"),
                "onfailure-ok": ("Succeeded", "Completed")}
    for name, (phase, shown) in expected.items():
        pod = wait_status(fast_cluster, ns, name, lambda p, want=phase: p["status"]["phase"] == want)
        assert row(pod).status == shown and row(pod).ready == "0/1"
        conditions = {c["type"]: c for c in pod["status"]["conditions"]}
        assert conditions["Ready"]["status"] == "False"
        assert conditions["PodReadyToStartContainers"]["status"] == "False"
    retried = wait_status(fast_cluster, ns, "onfailure-fail",
                          lambda p: p["status"]["containerStatuses"][0]["restartCount"] >= 2)
    assert retried["status"]["phase"] == "Running"
    assert get_pod(fast_cluster, ns, "never-fail")["status"]["containerStatuses"][0][
        "restartCount"] == 0


def test_graceful_deletion_shows_terminating_then_the_pod_is_gone(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("sleeper", {"name": "c", "image": "busybox:1.36",
                                            "command": ["sleep", "3600"]}, terminationGracePeriodSeconds=20))
    wait_status(fast_cluster, ns, "sleeper", is_running)
    watch = PodWatch(fast_cluster, ns)
    try:
        fast_cluster.kubectl("delete", "pod", "sleeper", "-n", ns, "--wait=false")
        wait_for(lambda: watch.deleted("sleeper"), message="pod removed")
        statuses = watch.statuses("sleeper")
        versions = watch.versions("sleeper")
    finally:
        watch.close()
    assert "Terminating" in statuses
    last = versions[-1]["status"]["containerStatuses"][0]["state"]["terminated"]
    assert last["exitCode"] == 137  # sleep as PID 1 ignores SIGTERM: killed at the deadline
    events = fast_cluster.kubectl("get", "events", "-n", ns).stdout
    assert re.search(r"Normal\s+Killing\s+pod/sleeper\s+Stopping container c", events), events
    assert get_pod(fast_cluster, ns, "sleeper") is None


def test_pod_bound_to_another_node_is_left_as_written(fast_cluster):
    ns = new_namespace(fast_cluster)
    foreign = fast_cluster.raw.create_pod(ns, pod_manifest("elsewhere", NGINX, nodeName="retired-node"))
    status_body = dict(foreign, status={"phase": "Running", "podIP": "10.9.9.9"})
    code, _, written = fast_cluster.raw.call(
        "PUT", f"/api/v1/namespaces/{ns}/pods/elsewhere/status", status_body)
    assert code == 200, written
    fast_cluster.raw.create_pod(ns, pod_manifest("witness", NGINX))  # created after: handled after
    wait_status(fast_cluster, ns, "witness", is_running)
    fast_cluster.kubectl("delete", "pod", "witness", "-n", ns)
    fast_cluster.kubectl("delete", "pod", "elsewhere", "-n", ns, "--wait=false")
    later = get_pod(fast_cluster, ns, "elsewhere")
    assert later["status"] == written["status"] and later["spec"] == written["spec"]
    assert later["metadata"]["deletionTimestamp"]  # no kubelet: it stays Terminating
    assert row(later).status == "Terminating"


def test_time_scale_makes_sleeps_short_but_timestamps_real(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("long-job", script_container("job", "sleep 100"),
                                                 restartPolicy="Never"))
    pod = wait_status(fast_cluster, ns, "long-job",
                      lambda p: p["status"]["phase"] == "Succeeded", timeout=20,
                      message="100 simulated seconds at time scale 50")
    finished = pod["status"]["containerStatuses"][0]["state"]["terminated"]
    elapsed = parse_rfc3339(finished["finishedAt"]) - parse_rfc3339(finished["startedAt"])
    assert elapsed.total_seconds() <= 10  # real wall-clock time: 100 s / 50, plus rounding


def test_host_network_uses_the_node_ip_and_clashes_on_the_node(fast_cluster):
    ns = new_namespace(fast_cluster)
    for name in ("host-a", "host-b"):
        fast_cluster.raw.create_pod(ns, pod_manifest(name, NGINX, hostNetwork=True,
                                                     nodeSelector={"kubernetes.io/hostname": "kubetui-node-2"}))
    first = wait_status(fast_cluster, ns, "host-a", lambda p: p["status"].get("podIP"))
    assert first["status"]["podIP"] == "172.18.0.3" == first["status"]["hostIP"]
    wait_status(fast_cluster, ns, "host-b",
                lambda p: (p["status"].get("containerStatuses") or [{}])[0].get("restartCount", 0) >= 1)
    running = [get_pod(fast_cluster, ns, n)["status"]["containerStatuses"][0]["restartCount"]
               for n in ("host-a", "host-b")]
    assert running == [0, running[1]] and running[1] >= 1


def test_missing_shell_is_a_start_error(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("no-bash", {"name": "c", "image": "alpine:3.20",
                                            "command": ["/bin/bash", "-c", "echo hi"]}, restartPolicy="Never"))
    pod = wait_status(fast_cluster, ns, "no-bash", lambda p: p["status"]["phase"] == "Failed")
    terminated = pod["status"]["containerStatuses"][0]["state"]["terminated"]
    assert terminated["reason"] == "StartError" and terminated["exitCode"] == 128
    assert 'exec: "/bin/bash": stat /bin/bash: no such file or directory' in terminated["message"]
    assert row(pod).status == "StartError"


def test_a_missing_config_map_blocks_the_start_until_it_exists(fast_cluster):
    ns = new_namespace(fast_cluster)
    container = {**script_container("app", 'echo "level=$LOG_LEVEL"; sleep 3600'),
                 "env": [{"name": "LOG_LEVEL", "valueFrom": {"configMapKeyRef": {
                     "name": "app-config", "key": "log_level"}}}]}
    fast_cluster.raw.create_pod(ns, pod_manifest("configured", container))
    pod = wait_status(fast_cluster, ns, "configured",
                      lambda p: row(p).status == "CreateContainerConfigError")
    waiting = pod["status"]["containerStatuses"][0]["state"]["waiting"]
    assert waiting["message"] == 'configmap "app-config" not found'
    code, _, body = fast_cluster.raw.call("POST", f"/api/v1/namespaces/{ns}/configmaps", {
        "metadata": {"name": "app-config"}, "data": {"log_level": "debug"}})
    assert code == 201, body
    wait_status(fast_cluster, ns, "configured", is_running, timeout=30)
    assert fast_cluster.kubectl("logs", "-n", ns, "configured").stdout == "level=debug\n"


def test_a_job_pod_with_a_sidecar_completes_and_the_sidecar_is_stopped(fast_cluster):
    ns = new_namespace(fast_cluster)
    sidecar = {**script_container("log-shipper", "while true; do sleep 5; done"), "restartPolicy": "Always"}
    fast_cluster.raw.create_pod(ns, pod_manifest("job-pod", script_container("job", "echo working; sleep 3; echo done"),
                                                 initContainers=[sidecar], restartPolicy="Never"))
    pod = wait_status(fast_cluster, ns, "job-pod", lambda p: p["status"]["phase"] == "Succeeded"
                      and "terminated" in p["status"]["initContainerStatuses"][0]["state"])
    assert row(pod).status == "Completed"
    assert pod["status"]["initContainerStatuses"][0]["state"]["terminated"]["exitCode"] == 137
    events = fast_cluster.kubectl("get", "events", "-n", ns).stdout
    assert re.search(r"Killing\s+pod/job-pod\s+Stopping container log-shipper", events), events
