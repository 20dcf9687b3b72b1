"""PodWatch under the local cluster's fault knobs, during churn: dropped watches, 410s, error
storms with latency, stalls. After each fault is switched off (and the churn paused so the
server holds still), the watcher's view must equal a fresh list: same keys, same
resourceVersions, so no ghost and no stale row."""

from __future__ import annotations

import pytest
from kubernetes.client import CoreV1Api
from watch_mirror import Mirror, fresh_versions, running_watch

from kubetui.kube.contexts import connect
from kubetui.localcluster import LocalCluster
from kubetui.localcluster.cluster.faults import get_faults, set_faults
from tests.support.clusters import cluster_fixture

CHURN = 40.0


churn_cluster = cluster_fixture(pods=200, churn=CHURN, random_seed=11, kubelet=False, bookmark_interval=0.5)


@pytest.fixture(scope="module")
def churning(churn_cluster) -> LocalCluster:
    return churn_cluster.cluster


@pytest.fixture(scope="module")
def client(churn_cluster):
    conn = connect(str(churn_cluster.kubeconfig))
    yield conn.api_client
    conn.close()


def _set_churn(cluster: LocalCluster, rate: float) -> None:
    cluster.call(lambda: setattr(cluster.churn, "rate", rate))


@pytest.fixture(autouse=True)
def calm_afterwards(churning):
    _set_churn(churning, CHURN)
    yield
    set_faults(churning, reset=True)
    _set_churn(churning, CHURN)


def _stats(cluster: LocalCluster) -> dict:
    return get_faults(cluster)["stats"]


def _converges(cluster, client, mirror: Mirror, wait_for) -> None:
    """Faults off, churn paused: the view must become exactly a fresh list."""
    set_faults(cluster, reset=True)
    _set_churn(cluster, 0)
    wait_for(lambda: mirror.versions() == fresh_versions(client, None), timeout=30,
             message="the watcher's view to equal a fresh list")
    assert not mirror.unknown_deletes
    assert not mirror.replayed


def test_dropped_watches_resume_from_the_resource_version(churning, client, wait_for):
    mirror = Mirror()
    with running_watch(client, None, mirror, batch_interval=0.02):
        wait_for(lambda: "live" in mirror.kinds())
        before = _stats(churning)["dropped_watches"]
        set_faults(churning, drop_watches_every=0.3)
        wait_for(lambda: _stats(churning)["dropped_watches"] >= before + 5, timeout=30,
                 message="five dropped watches")
        _converges(churning, client, mirror, wait_for)
    assert mirror.resets == 1  # every reconnect resumed the watch; nothing was re-listed


def test_expired_watches_relist_and_forget_pods_that_vanished(churning, client, wait_for):
    mirror = Mirror()
    with running_watch(client, None, mirror, batch_interval=0.02):
        wait_for(lambda: "live" in mirror.kinds())
        before = _stats(churning)["expired_watches"]
        set_faults(churning, watch_410=True, drop_watches_every=0.3)
        wait_for(lambda: _stats(churning)["expired_watches"] > before, timeout=30, message="a 410")
        # While every watch is answered 410, the watcher can only learn of these deletions by
        # re-listing: they must vanish from its view all the same.
        _set_churn(churning, 0)
        victims = sorted(mirror.versions())[:3]
        core = CoreV1Api(client)
        for key in victims:
            namespace, name = key.split("/")
            core.delete_namespaced_pod(name, namespace, grace_period_seconds=0, _preload_content=False)
        wait_for(lambda: not set(victims) & set(mirror.versions()), timeout=30,
                 message="deleted pods to vanish through a re-list")
        assert mirror.resets >= 2
        _converges(churning, client, mirror, wait_for)


def test_an_error_storm_with_latency_reconnects_and_converges(churning, client, wait_for):
    mirror = Mirror()
    with running_watch(client, None, mirror, batch_interval=0.02):
        wait_for(lambda: "live" in mirror.kinds())
        before = _stats(churning)["failed_requests"]
        set_faults(churning, error_rate=0.6, error_codes=[500, 503, 429], latency_ms=30, drop_watches_every=0.4)
        wait_for(lambda: _stats(churning)["failed_requests"] >= before + 4 and "reconnecting" in mirror.kinds(),
                 timeout=60, message="failed requests and a reconnecting state")
        _converges(churning, client, mirror, wait_for)
        wait_for(lambda: mirror.last_state().kind == "live", message="live again")
    states = mirror.states
    stale = next(s for s in states if s.kind == "stale")
    assert stale.since is not None and stale.error is not None
    reconnecting = [s for s in states if s.kind == "reconnecting"]
    assert all(s.attempt >= 1 and s.error and s.error.message for s in reconnecting)
    assert any("Error from server" in s.error.message for s in reconnecting)


def test_a_stalled_watch_goes_stale_lists_again_and_goes_live(churning, client, wait_for):
    mirror = Mirror()
    with running_watch(client, None, mirror, batch_interval=0.02, bookmark_interval=0.5):
        wait_for(lambda: "live" in mirror.kinds())
        before = _stats(churning)["stalled_watches"]
        # New watches get no byte for 30 s; dropping the current one forces a new one.
        set_faults(churning, stall_watch_seconds=30, drop_watches_every=0.5)
        wait_for(lambda: _stats(churning)["stalled_watches"] > before and "reconnecting" in mirror.kinds(),
                 timeout=30, message="a stalled watch given up")
        stale = wait_for(lambda: next((s for s in mirror.states if s.kind == "stale"), None),
                         message="the data reported stale")
        assert stale.since is not None and stale.error.title == "Timeout"
        assert "has sent nothing for" in stale.error.message
        _converges(churning, client, mirror, wait_for)
        wait_for(lambda: mirror.last_state().kind == "live", message="live again")
    assert mirror.resets >= 2  # what happened while we could not hear the server, a list tells


def test_stop_returns_while_a_request_is_stalled(churning, client, wait_for):
    set_faults(churning, stall_watch_seconds=30)
    mirror = Mirror()
    with running_watch(client, None, mirror, bookmark_interval=30.0):  # asserts run() returns
        wait_for(lambda: mirror.resets == 1, message="the list")
        wait_for(lambda: _stats(churning)["stalled_watches"] >= 1, message="the watch to stall")
