"""PodWatch across a server restart and a server it never listed from: no ghost row survives
(the view equals a fresh list), a resourceVersion the server has not reached means a fresh list,
and new credentials in the kubeconfig are picked up without help."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from watch_mirror import Mirror, fresh_versions, running_watch

from kubetui.kube.contexts import connect
from kubetui.kube.first_list import start_first_list
from kubetui.kube.watch_stream import ResourceVersionTooLarge, open_pod_watch
from kubetui.localcluster import LocalCluster
from tests.support.clusters import BARE_SERVER, RawClient, RunningCluster, start_cluster
from tests.support.pods import pod_manifest


class Clusters:
    """Bare local clusters (bookmarks every 0.5 s) and connections, all closed at the end."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.started: list[RunningCluster] = []
        self.connections: list = []

    def start(self, pods: int = 0) -> LocalCluster:
        self.started.append(start_cluster(self.directory / f"cluster-{len(self.started)}", bookmark_interval=0.5,
                                          pods=pods, **BARE_SERVER))
        return self.started[-1].cluster

    def connect(self, kubeconfig, namespace: str | None = None):
        conn = connect(str(kubeconfig), None, namespace)
        self.connections.append(conn)
        return conn

    def reconnect_to(self, kubeconfig):
        """What the UI passes as `reconnect`: the kubeconfig read again, a new API client."""
        return lambda: self.connect(kubeconfig).api_client


@pytest.fixture
def clusters(tmp_path):
    made = Clusters(tmp_path)
    yield made
    for conn in made.connections:
        conn.close()
    for running in made.started:
        running.stop()


def _create(cluster: LocalCluster, name: str) -> None:
    """Through a client made now: a restarted cluster has a new token and certificate."""
    RawClient(cluster, cluster.token).create_pod("default", pod_manifest(name))


@pytest.mark.parametrize("before, after", [(0, 40), (40, 0)],
                         ids=["the restarted server is further along", "the restarted server is behind"])
def test_a_restart_on_the_same_port_with_new_credentials_leaves_no_ghost(clusters, tmp_path, wait_for,
                                                                         before, after):
    cluster = clusters.start(pods=before)
    kubeconfig = cluster.write_kubeconfig(tmp_path / "kc")
    _create(cluster, "ghost")
    mirror = Mirror()
    with running_watch(clusters.connect(kubeconfig).api_client, None, mirror, batch_interval=0.02,
                       reconnect=clusters.reconnect_to(kubeconfig)):
        wait_for(lambda: "live" in mirror.kinds() and "default/ghost" in mirror.versions(), message="live")
        cluster.stop()
        wait_for(lambda: mirror.last_state().kind == "reconnecting", timeout=30, message="the outage noticed")
        cluster.options.port, cluster.options.pods = cluster.port, after
        cluster.start()  # new certificate, token and storage: only "reborn" and the synthetic pods
        _create(cluster, "reborn")
        cluster.write_kubeconfig(kubeconfig)
        fresh = clusters.connect(kubeconfig).api_client
        wait_for(lambda: mirror.last_state().kind == "live", timeout=40, message="live again by itself")
        wait_for(lambda: mirror.versions() == fresh_versions(fresh, None), timeout=30,
                 message="the view to equal the new server's list")
    assert "default/ghost" not in mirror.versions() and "default/reborn" in mirror.versions()
    assert len(mirror.versions()) == after + 1


def test_a_resource_version_the_server_has_not_reached_means_a_fresh_list(clusters, wait_for, tmp_path):
    elsewhere = clusters.start(pods=30)  # its resourceVersion is far beyond `here`'s
    here = clusters.start()
    _create(here, "here")
    other = clusters.connect(elsewhere.write_kubeconfig(tmp_path / "elsewhere"))
    conn = clusters.connect(here.write_kubeconfig(tmp_path / "here"))
    # The list the watch starts from came from another server, as after a restart with fresh storage.
    mirror = Mirror()
    with running_watch(conn.api_client, None, mirror, batch_interval=0.02,
                       first_list=start_first_list(other, True)):
        wait_for(lambda: mirror.versions() == fresh_versions(conn.api_client, None), timeout=20,
                 message="the view to equal this server's list")
        wait_for(lambda: mirror.last_state().kind == "live", message="live")
    assert not {"reconnecting", "stale", "error"} & set(mirror.kinds())  # no failure on the way


def test_opening_a_watch_from_the_future_raises_too_large(api_client, raw):
    current = int(raw.json("GET", "/api/v1/namespaces/default/pods", expect=200)["metadata"]["resourceVersion"])
    with pytest.raises(ResourceVersionTooLarge) as raised:
        open_pod_watch(api_client, "default", str(current + 1000))
    assert raised.value.status == 504
    assert f"Too large resource version: {current + 1000}, current: " in str(raised.value)


def test_a_token_fixed_in_the_kubeconfig_is_picked_up_by_itself(clusters, tmp_path, wait_for):
    cluster = clusters.start()
    kubeconfig = cluster.write_kubeconfig(tmp_path / "kc")
    document = yaml.safe_load(kubeconfig.read_text())
    for user in document["users"]:
        user["user"]["token"] = "not-the-token"
    kubeconfig.write_text(yaml.safe_dump(document))
    _create(cluster, "behind-the-door")
    mirror = Mirror()
    with running_watch(clusters.connect(kubeconfig, "default").api_client, "default", mirror,
                       reconnect=clusters.reconnect_to(kubeconfig)):
        wait_for(lambda: "error" in mirror.kinds(), message="the 401")
        assert mirror.last_state().error.title == "Unauthorized"
        cluster.write_kubeconfig(kubeconfig)  # the right token again
        wait_for(lambda: mirror.last_state().kind == "live", timeout=30, message="live without a restart")
        assert "default/behind-the-door" in mirror.versions()
