"""LocalCluster's lifecycle: clear start errors, call(), stopping with open watches, and a watch
stream that survives a server-side failure without corrupting its chunked encoding."""

from __future__ import annotations

import socket

import orjson
import pytest

from kubetui.localcluster import ClusterOptions, ClusterStartError, LocalCluster
from tests.support.clusters import BARE_SERVER, RawClient, cluster_fixture

bare_cluster = cluster_fixture("function", **BARE_SERVER)


@pytest.fixture
def private_cluster(bare_cluster) -> LocalCluster:
    return bare_cluster.cluster


def test_a_busy_port_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ClusterStartError) as error:
            LocalCluster(ClusterOptions(port=port, **BARE_SERVER)).start()
    assert str(error.value) == f"cannot listen on 127.0.0.1:{port}: the port is already in use"


def test_call_runs_on_the_loop_and_propagates_errors(private_cluster):
    assert private_cluster.call(private_cluster.store.get, "namespaces", "", "default") is not None
    with pytest.raises(ZeroDivisionError):
        private_cluster.call(lambda: 1 / 0)


def test_stop_ends_open_watches(private_cluster):
    raw = RawClient(private_cluster, private_cluster.token)
    connection = raw.connection()
    connection.request("GET", "/api/v1/pods?watch=true",
                       headers={"Authorization": f"Bearer {private_cluster.token}"})
    response = connection.getresponse()
    assert response.status == 200
    private_cluster.stop()
    assert not private_cluster.running
    assert response.read() == b""  # the stream ended cleanly: a valid last chunk
    connection.close()


def test_a_failure_inside_a_watch_becomes_an_error_event(private_cluster):
    raw = RawClient(private_cluster, private_cluster.token)
    connection = raw.connection()
    connection.request("GET", "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0",
                       headers={"Authorization": f"Bearer {private_cluster.token}"})
    response = connection.getresponse()
    # An object the JSON encoder cannot write (only reachable in-process) breaks the encoding.
    private_cluster.call(private_cluster.store.insert_prepared, "configmaps", {
        "metadata": {"name": "broken", "namespace": "default"}, "data": {"k": {1, 2}}})
    lines = [orjson.loads(line) for line in response.read().splitlines() if line.strip()]
    connection.close()
    assert lines[-1]["type"] == "ERROR"
    assert lines[-1]["object"]["code"] == 500
    assert lines[-1]["object"]["reason"] == "InternalError"
