"""LogFollow against the simulated kubelet: the lines a log view gets, restart and deletion
markers, pods joining a selector stream, all containers prefixed, and a stop that is prompt."""

from __future__ import annotations

import threading
from datetime import datetime

from kubetui.kube.log_follow import LogFollow, LogState, LogTarget
from kubetui.kube.logs import LogOptions
from kubetui.model.log_lines import deleted_marker, reconnected_marker, restarted_marker
from kubetui.model.log_ring import LogRing
from tests.localcluster.sim_support import new_namespace, row, wait_status
from tests.support.pods import pod_manifest, script_container
from tests.support.waiting import wait_for


class Follower:
    """A LogFollow running on its own thread, its lines in a ring, its states in a list."""

    def __init__(self, running, target: LogTarget, **options) -> None:
        self.ring = LogRing()
        self.states: list[LogState] = []
        self.follow = LogFollow(running.api_client, target, on_lines=self.ring.extend,
                                on_state=self.states.append, **options)
        self.thread = threading.Thread(target=self.follow.run, daemon=True)
        self.thread.start()

    def text(self) -> list[str]:
        return [line.decode() for line in self.ring.lines(0, self.ring.appended)]

    def saw(self, predicate, message: str, timeout: float = 30.0) -> list[str]:
        return wait_for(lambda: predicate(self.text()) and self.text(), timeout=timeout, message=message)

    def stop(self) -> None:
        self.follow.stop()
        self.thread.join(5)


def test_a_restarted_container_keeps_its_stream_with_a_marker(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("crasher",
                                                 script_container("app", "echo starting; echo giving up; exit 1")))
    follower = Follower(fast_cluster, LogTarget(ns, pod="crasher"))
    third = restarted_marker(3).decode()
    try:
        lines = follower.saw(lambda t: third in t and len(t) >= t.index(third) + 3, "the third instance's lines")
    finally:
        follower.stop()
    # However far along the pod was when the view opened, each instance reads whole, in order,
    # after a marker naming it.
    end = lines.index(third) + 3
    first_marker = next(i for i, line in enumerate(lines) if line.startswith("────"))
    assert lines[:first_marker] == ["starting", "giving up"]
    blocks = [lines[i:i + 3] for i in range(first_marker, end, 3)]
    numbers = [int(block[0].split("instance ")[1].split(")")[0]) for block in blocks]
    assert blocks == [[restarted_marker(n).decode(), "starting", "giving up"] for n in numbers]
    assert numbers == list(range(numbers[0], 4))
    assert any(state.kind == "live" for state in follower.states)


def test_a_deleted_pod_ends_the_stream_with_a_clear_line(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest(
        "short-lived", script_container("app", "echo hello; while true; do echo tick; sleep 5; done")))
    wait_status(fast_cluster, ns, "short-lived", lambda p: row(p).status == "Running")
    follower = Follower(fast_cluster, LogTarget(ns, pod="short-lived"))
    try:
        follower.saw(lambda t: "hello" in t, "the first line")
        fast_cluster.raw.call("DELETE", f"/api/v1/namespaces/{ns}/pods/short-lived")
        lines = follower.saw(lambda t: deleted_marker().decode() in t, "the deletion marker")
        follower.thread.join(10)
        assert not follower.thread.is_alive(), "run() returns once the only pod is gone"
    finally:
        follower.stop()
    assert lines[0] == "hello" and lines[-1] == deleted_marker().decode()
    assert set(lines[1:-1]) == {"tick"}
    assert follower.states[-1].kind == "ended"


def test_new_pods_join_a_selector_stream(fast_cluster):
    ns = new_namespace(fast_cluster)

    def labelled(name: str) -> None:
        body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "shop"}},
                "spec": {"containers": [script_container("web", f"echo {name} up; sleep 3600")]}}
        assert fast_cluster.raw.call("POST", f"/api/v1/namespaces/{ns}/pods", body)[0] == 201

    labelled("shop-1")
    fast_cluster.raw.create_pod(ns, pod_manifest("unrelated", script_container("web", "echo not mine; sleep 3600")))
    follower = Follower(fast_cluster, LogTarget(ns, selector="app=shop"))
    try:
        follower.saw(lambda t: "[pod/shop-1/web] shop-1 up" in t, "the first pod")
        labelled("shop-2")
        lines = follower.saw(lambda t: "[pod/shop-2/web] shop-2 up" in t, "the pod that joined")
    finally:
        follower.stop()
    assert not any("not mine" in line for line in lines)


def test_all_containers_are_prefixed_and_the_first_read_honours_tail(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("two",
                                                 script_container("first", "echo a1; echo a2; echo a3; sleep 3600"),
                                                 script_container("second", "echo b1; sleep 3600")))
    wait_status(fast_cluster, ns, "two", lambda p: row(p).status == "Running")
    follower = Follower(fast_cluster, LogTarget(ns, pod="two", all_containers=True),
                        options=LogOptions(follow=True, tail_lines=2))
    try:
        lines = follower.saw(lambda t: len(t) >= 3, "both containers")
    finally:
        follower.stop()
    assert sorted(lines) == ["[pod/two/first] a2", "[pod/two/first] a3", "[pod/two/second] b1"]


def test_a_pod_that_does_not_exist_ends_at_once(fast_cluster):
    ns = new_namespace(fast_cluster)
    follower = Follower(fast_cluster, LogTarget(ns, pod="ghost"))
    follower.thread.join(20)
    assert not follower.thread.is_alive()
    assert follower.text() == ["──── pod ghost not found ────"]
    assert follower.states[-1].kind == "ended" and "not found" in follower.states[-1].error.message


def test_stop_returns_promptly_while_a_quiet_stream_blocks(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("quiet", script_container("app", "echo only line; sleep 3600")))
    follower = Follower(fast_cluster, LogTarget(ns, pod="quiet"))
    follower.saw(lambda t: t == ["only line"], "the only line")
    follower.follow.stop()
    follower.thread.join(2)
    assert not follower.thread.is_alive()


def test_a_broken_connection_resumes_with_a_marker_and_loses_nothing(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("ticker",
                                                 script_container("app", "while true; do echo tick; sleep 5; done")))
    wait_status(fast_cluster, ns, "ticker", lambda p: row(p).status == "Running")
    follower = Follower(fast_cluster, LogTarget(ns, pod="ticker"), options=LogOptions(follow=True, timestamps=True))
    reconnected = reconnected_marker().decode()
    try:
        follower.saw(lambda t: len(t) >= 5, "a few ticks")
        stream = next(iter(follower.follow._streams.values()))
        stream._cut()  # the connection breaks under the reader, as when a proxy drops it
        lines = follower.saw(lambda t: reconnected in t and len(t) > t.index(reconnected) + 5,
                             "ticks after the reconnection")
    finally:
        follower.stop()
    assert lines.count(reconnected) == 1
    stamps = sorted({datetime.fromisoformat(line.split()[0].replace("Z", "+00:00"))
                     for line in lines if line != reconnected})
    gaps = {round((b - a).total_seconds(), 3) for a, b in zip(stamps, stamps[1:])}
    assert gaps == {0.1}, "every tick once (repeats dropped), none missing"


def test_a_pod_deleted_before_it_ever_ran_ends_the_stream(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("stuck", script_container("app", "echo never"),
                                                 nodeSelector={"no-such": "node"}))
    follower = Follower(fast_cluster, LogTarget(ns, pod="stuck"))
    wait_for(lambda: any(state.kind == "waiting" for state in follower.states), message="the waiting state")
    fast_cluster.raw.call("DELETE", f"/api/v1/namespaces/{ns}/pods/stuck")
    follower.thread.join(20)
    assert not follower.thread.is_alive()
    assert follower.text() == [deleted_marker().decode()]
    assert follower.states[-1].kind == "ended"
