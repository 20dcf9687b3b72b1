"""`kubectl logs` against the simulated kubelet: container choice, previous, tail, since,
timestamps, limitBytes, follow; and the log buffers themselves (pure)."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from kubetui.localcluster import ClusterOptions, LocalCluster
from kubetui.localcluster.node.container_logs import ContainerLog, Cursor, LogBook, render_line
from kubetui.localcluster.sandbox.run_plan import LogLine, Periodic, RunPlan
from tests.localcluster.sim_support import get_pod, new_namespace, row, wait_status
from tests.support.clusters import KUBECTL, start_cluster
from tests.support.pods import container, pod_manifest

START = datetime(2026, 11, 26, 10, 0, 0, tzinfo=timezone.utc)
TIMESTAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z"


# ------------------------------------------------------------------------- buffers (pure)
def test_lines_appear_at_their_time_and_stop_when_the_instance_ends():
    plan = RunPlan(lines=(LogLine(0.0, "up"), LogLine(4.0, "later")),
                   periodic=Periodic(10.0, 10.0, (LogLine(0.0, "tick {t:%H:%M:%S}", timed=True),)))
    log = ContainerLog("containerd://x", plan, START, time_scale=2.0)
    assert [e.text for e in log.entries(START + timedelta(seconds=1))] == ["up"]
    assert [e.text for e in log.entries(START + timedelta(seconds=11))] == [
        "up", "later", "tick 10:00:05", "tick 10:00:10"]
    log.finish(START + timedelta(seconds=6), (LogLine(0.0, "bye"),))
    texts = [e.text for e in log.entries(START + timedelta(seconds=60))]
    assert texts == ["up", "later", "tick 10:00:05", "bye"]
    assert log.is_over(START + timedelta(seconds=7))


def test_buffers_are_bounded_and_only_recent_instances_are_kept():
    plan = RunPlan(periodic=Periodic(0.0, 1.0, (LogLine(0.0, "line"),)))
    log = ContainerLog("containerd://a", plan, START, time_scale=1.0, max_lines=100)
    assert len(log.entries(START + timedelta(hours=5))) == 100
    book = LogBook()
    for attempt in range(4):
        book.start("uid", "c", ContainerLog(f"containerd://{attempt}", RunPlan(), START, 1.0))
    assert [book.get(f"containerd://{n}") is not None for n in range(4)] == [False, False, True, True]


def test_a_loop_that_never_sleeps_prints_at_the_log_rate():
    busy = RunPlan(periodic=Periodic(0.0, 0.05, (LogLine(0.0, "a"), LogLine(0.0, "b"))))
    book = LogBook(busy_rate=1000.0)
    log = ContainerLog("containerd://busy", busy, START, time_scale=50.0)
    book.start("uid", "c", log)
    assert 1000 <= len(log.entries(START + timedelta(seconds=1))) <= 1002  # wall-clock lines/s
    sleepy = ContainerLog("containerd://sleepy", RunPlan(periodic=Periodic(0.0, 10.0, (LogLine(0.0, "tick"),))),
                          START, time_scale=1.0)
    book.start("uid", "d", sleepy)
    assert len(sleepy.entries(START + timedelta(seconds=25))) == 3  # a loop with a sleep keeps its pace


def mixed_log(max_lines: int = 10_000) -> ContainerLog:
    plan = RunPlan(lines=(LogLine(0.0, "up"), LogLine(0.35, "ready at {t:%S}", timed=True),
                          LogLine(0.1, "oops", "stderr")),
                   periodic=Periodic(0.2, 0.1, (LogLine(0.0, "tick"), LogLine(0.05, "tock", "stderr"))))
    log = ContainerLog("containerd://mixed", plan, START, time_scale=1.0, max_lines=max_lines)
    log.finish(START + timedelta(seconds=2), (LogLine(0.0, "bye"),), START + timedelta(seconds=1.9))
    return log


@pytest.mark.parametrize("timestamps, stream", [(False, None), (True, None), (False, "stderr")])
def test_following_in_steps_reads_each_line_exactly_once(timestamps, stream):
    log = mixed_log()
    end = START + timedelta(seconds=3)
    whole = b"".join(render_line(LogLine(0, e.text), e.at, timestamps)
                     for e in log.entries(end) if stream is None or e.stream == stream)
    cursor, read = Cursor(), []
    for step in range(0, 3100, 7):  # readers wake at arbitrary instants
        data, cursor, more = log.read_after(cursor, START + timedelta(milliseconds=step),
                                            timestamps=timestamps, stream=stream, batch=3)
        read.append(data)
        while more:
            data, cursor, more = log.read_after(cursor, START + timedelta(milliseconds=step),
                                                timestamps=timestamps, stream=stream, batch=3)
            read.append(data)
    assert b"".join(read) == whole
    assert whole.count(b"tock") == 18  # 0.25 s to 1.95 s, then the end at 2 s
    if stream is None:
        assert b"bye\n" in whole and whole.count(b"tick") == 19
    assert log.read_after(cursor, end + timedelta(hours=1))[0] == b""


def test_a_reader_far_behind_skips_ahead_as_after_log_rotation():
    plan = RunPlan(periodic=Periodic(0.0, 0.01, (LogLine(0.0, "line"),)))
    log = ContainerLog("containerd://fast", plan, START, time_scale=1.0, max_lines=100)
    data, cursor, more = log.read_after(Cursor(), START + timedelta(seconds=10), batch=1000)
    assert data.count(b"\n") == 100 and not more


def test_the_log_rate_must_be_positive():
    with pytest.raises(ValueError, match="--log-rate must be a positive number"):
        LocalCluster(ClusterOptions(log_rate=0))


# ------------------------------------------------------------------------- through the API
@pytest.fixture(scope="module")
def log_pods(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("sample-2pod", container("nginx-container", "nginx:1.16"),
                                                 container("redis-container", "redis:3.2")))
    fast_cluster.raw.create_pod(ns, pod_manifest("counter", {"name": "c", "image": "busybox:1.36", "command": [
        "sh", "-c", "for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; sleep 3600"]}))
    for name in ("sample-2pod", "counter"):
        wait_status(fast_cluster, ns, name, lambda p: row(p).status == "Running")
    return ns


def logs(running, *args: str, check: bool = True):
    return running.kubectl("logs", *args, check=check)


def test_a_container_name_is_required_when_there_are_several(fast_cluster, log_pods):
    code, _, status = fast_cluster.raw.call(
        "GET", f"/api/v1/namespaces/{log_pods}/pods/sample-2pod/log")
    assert code == 400 and status["reason"] == "BadRequest"
    assert status["message"] == ("a container name must be specified for pod sample-2pod, "
                                 "choose one of: [nginx-container redis-container]")
    wrong = logs(fast_cluster, "-n", log_pods, "sample-2pod", "-c", "nope", check=False)
    assert "container nope is not valid for pod sample-2pod" in wrong.stderr


def test_kubectl_reads_each_container(fast_cluster, log_pods):
    redis = logs(fast_cluster, "-n", log_pods, "sample-2pod", "-c", "redis-container").stdout
    assert "Redis 3.2.12 (00000000/0) 64 bit" in redis
    assert redis.rstrip().endswith("The server is now ready to accept connections on port 6379")
    assert logs(fast_cluster, "-n", log_pods, "counter").stdout == (
        "line 1\nline 2\nline 3\nline 4\nline 5\noops\n")


def test_tail_timestamps_and_limit_bytes(fast_cluster, log_pods):
    tail = logs(fast_cluster, "-n", log_pods, "counter", "--tail=2").stdout
    assert tail == "line 5\noops\n"
    stamped = logs(fast_cluster, "-n", log_pods, "counter", "--tail=1", "--timestamps").stdout
    assert re.fullmatch(TIMESTAMP + r" oops\n", stamped), stamped
    limited = logs(fast_cluster, "-n", log_pods, "counter", "--limit-bytes=10").stdout
    assert limited == "line 1\nlin"
    recent = logs(fast_cluster, "-n", log_pods, "counter", "--since=1h").stdout
    assert recent.count("\n") == 6


def test_previous_without_a_terminated_instance_is_an_error(fast_cluster, log_pods):
    result = logs(fast_cluster, "-n", log_pods, "counter", "--previous", check=False)
    assert result.returncode != 0
    assert 'previous terminated container "c" in pod "counter" not found' in result.stderr


def test_invalid_options_are_rejected_like_the_api_server(fast_cluster, log_pods):
    code, _, status = fast_cluster.raw.call(
        "GET", f"/api/v1/namespaces/{log_pods}/pods/counter/log?tailLines=-1")
    assert code == 422
    assert status["message"] == ('PodLogOptions "counter" is invalid: tailLines: Invalid value: '
                                 "-1: must be greater than or equal to 0")


def test_waiting_containers_have_no_logs_yet(fast_cluster, log_pods):
    fast_cluster.raw.create_pod(log_pods, pod_manifest("nopull", container("c", "nginx:doesnotexist")))
    wait_status(fast_cluster, log_pods, "nopull",
                lambda p: row(p).status in ("ErrImagePull", "ImagePullBackOff"))
    result = logs(fast_cluster, "-n", log_pods, "nopull", check=False)
    assert re.search(r'container "c" in pod "nopull" is waiting to start: (image can\'t be pulled|'
                     r"trying and failing to pull image)", result.stderr), result.stderr


def test_pods_on_nodes_without_a_kubelet_cannot_be_read(fast_cluster, log_pods):
    fast_cluster.raw.create_pod(log_pods, pod_manifest("lost", container("c", "nginx:1.16"), nodeName="gone-node"))
    result = logs(fast_cluster, "-n", log_pods, "lost", check=False)
    assert 'nodes "gone-node" not found' in result.stderr


def test_follow_streams_new_lines_and_ends_with_the_container(fast_cluster, log_pods):
    fast_cluster.raw.create_pod(log_pods, pod_manifest("ticker", {"name": "c", "image": "busybox:1.36", "command": [
        "sh", "-c", "echo first; sleep 250; echo second; sleep 10; echo third"]}, restartPolicy="Never"))
    wait_status(fast_cluster, log_pods, "ticker", lambda p: row(p).status == "Running")
    command = [KUBECTL, "--kubeconfig", str(fast_cluster.kubeconfig), "logs", "-f", "-n",
               log_pods, "ticker"]
    env = {"KUBECACHEDIR": str(fast_cluster.cache_dir), "PATH": "/usr/bin:/bin"}
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, "env": env}
    with subprocess.Popen(command, **pipes) as follower, \
            subprocess.Popen(command + ["--tail=0"], **pipes) as only_new:
        try:
            assert follower.stdout.readline() == "first\n"
            # the container is still sleeping: what follows can only come from the open stream
            assert row(get_pod(fast_cluster, log_pods, "ticker")).status == "Running"
            rest, errors = follower.communicate(timeout=30)
            new_lines, _ = only_new.communicate(timeout=30)
        finally:
            follower.kill()
            only_new.kill()
    assert follower.returncode == 0, errors
    assert rest == "second\nthird\n"
    assert new_lines == "second\nthird\n"


def test_the_python_client_reads_logs_too(fast_cluster, log_pods):
    text = fast_cluster.core.read_namespaced_pod_log("counter", log_pods, tail_lines=1)
    assert text == "oops\n"


def test_a_busy_container_streams_to_kubectl_at_volume(tmp_path):
    with start_cluster(tmp_path, time_scale=50.0, log_rate=1_000_000.0) as running:
        ns = new_namespace(running)
        running.raw.create_pod(ns, pod_manifest("chatty", {"name": "c", "image": "busybox:1.36", "command": [
            "sh", "-c", "while true; do echo 'INFO request served'; echo 'DEBUG cache hit'; done"]}))
        wait_status(running, ns, "chatty", lambda p: row(p).status == "Running")
        out = logs(running, "-n", ns, "chatty", "-f", "--tail=0", "--limit-bytes=2000000").stdout
    assert len(out) == 2_000_000  # the stream kept coming until the limit, in the loop's order
    lines = out.splitlines()[:-1]
    assert set(lines) == {"INFO request served", "DEBUG cache hit"}
    assert all(a != b for a, b in zip(lines, lines[1:]))
