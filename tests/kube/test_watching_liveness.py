""""live" only while bytes arrive: a server frozen mid-watch (SIGSTOP, its sockets open and
silent) or a watch that stalls must turn the state stale within a deadline learned from the
bookmark cadence, and live again once the server talks; the view then equals a fresh list."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from cluster_process import cluster_process
from kubernetes.client import CoreV1Api
from watch_mirror import Mirror, fresh_versions, running_watch

from kubetui.kube.contexts import connect
from kubetui.kube.silence import SilenceDeadline
from kubetui.localcluster.cluster.faults import set_faults
from tests.support.clusters import BARE_SERVER, start_cluster
from tests.support.pods import pod_manifest


def test_a_frozen_server_turns_the_watch_stale_and_a_thawed_one_live(tmp_path, wait_for):
    with cluster_process(tmp_path, bookmark_interval=0.5) as server:
        conn = connect(str(server.kubeconfig), None, "default")
        core = CoreV1Api(conn.api_client)
        core.create_namespaced_pod("default", pod_manifest("before"), _preload_content=False)
        mirror = Mirror()
        try:
            # The default settings, as the UI uses them: the 0.5 s cadence is learned.
            with running_watch(conn.api_client, "default", mirror, batch_interval=0.02) as watch:
                wait_for(lambda: "live" in mirror.kinds() and "default/before" in mirror.versions(),
                         message="live with the first pod")
                wait_for(lambda: watch.silence.expected_interval < 5, message="the bookmark cadence learned")
                frozen_at = datetime.now(timezone.utc)
                server.freeze()
                stale = wait_for(lambda: next((s for s in mirror.states if s.kind == "stale"), None), timeout=30,
                                 message="the frozen server's data reported stale")
                assert stale.since is not None and stale.since <= datetime.now(timezone.utc)
                assert (frozen_at - stale.since).total_seconds() < 5  # since the last byte, not since the start
                assert stale.error.title == "Timeout" and "has sent nothing for" in stale.error.message
                assert mirror.last_state().kind != "live"
                server.thaw()
                wait_for(lambda: mirror.last_state().kind == "live", timeout=40, message="live again after the thaw")
                core.create_namespaced_pod("default", pod_manifest("after"), _preload_content=False)
                wait_for(lambda: mirror.versions() == fresh_versions(conn.api_client, "default"), timeout=20,
                         message="the view to equal a fresh list")
        finally:
            conn.close()


@pytest.fixture
def stalling(tmp_path):
    with start_cluster(tmp_path, bookmark_interval=0.5, **BARE_SERVER) as running:
        conn = connect(str(running.kubeconfig), None, "default")
        try:
            yield running.cluster, conn
        finally:
            conn.close()


def test_a_watch_that_gets_no_bytes_is_stale_until_bytes_flow_again(stalling, wait_for):
    cluster, conn = stalling
    mirror = Mirror()
    with running_watch(conn.api_client, "default", mirror, batch_interval=0.02, bookmark_interval=0.5):
        wait_for(lambda: "live" in mirror.kinds(), message="live")
        # The open watch is closed; every new one gets no byte, not even headers, for 60 s.
        set_faults(cluster, stall_watch_seconds=60, drop_watches_every=0.3)
        wait_for(lambda: "stale" in mirror.kinds(), timeout=30, message="stale while nothing arrives")
        live_before = mirror.kinds().count("live")
        assert mirror.last_state().kind != "live"
        set_faults(cluster, reset=True)
        wait_for(lambda: mirror.kinds().count("live") > live_before, timeout=30, message="live once bytes flow")


def test_the_silence_deadline_follows_the_bookmark_cadence():
    deadline = SilenceDeadline(bookmark_interval=60, factor=2)
    assert deadline.seconds == 120  # nothing learned yet: the configured interval
    deadline.stream_started(100.0)
    assert deadline.bookmark(110.0)  # a 10 s cadence
    assert deadline.seconds == 20
    deadline.bookmark(120.0)
    deadline.bookmark(122.0)  # kube-apiserver's extra bookmark just before the watch times out
    assert deadline.seconds == 20  # a short gap never tightens it
    deadline.stream_started(200.0)
    deadline.bookmark(200.5)
    deadline.bookmark(201.0)
    deadline.bookmark(201.5)
    assert deadline.seconds == 2.0  # the last gaps were short: a floor keeps a busy machine quiet
