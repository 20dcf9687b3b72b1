"""Live means live, on screen: the header says stale (never `● live`) while no byte arrives, a
cluster restarted on the same port with a new certificate and token is followed without help
and without ghost rows, and picking the current context again reads the kubeconfig again.

These stall, restart or replace servers, so each uses clusters of its own.
"""

from __future__ import annotations

import pytest
from tests.support.clusters import BARE_SERVER, RawClient
from pilot_helpers import header_line, pods_view, run_app, shown_names, workspace
from pilot_helpers import pods_view, run_app, shown_names, workspace
from textual.widgets import OptionList

from kubetui.kube.contexts import connect
from kubetui.localcluster import LocalCluster
from kubetui.localcluster.cluster.faults import set_faults
from kubetui.ui.app import KubetuiApp
from kubetui.ui.screens.context_picker import ContextPicker
from kubetui.ui.widgets.cluster_header import ClusterHeader
from kubetui.ui.widgets.pod_table import PodTableView
from tests.support.clusters import BARE_SERVER, RawClient, start_cluster
from tests.support.pods import pod_manifest, sleeper
from tests.support.waiting import until


@pytest.fixture
def clusters(tmp_path):
    """`clusters()` starts a bare local cluster (bookmarks every 0.5 s); all are stopped after."""
    started = []

    def start() -> LocalCluster:
        started.append(start_cluster(tmp_path / f"cluster-{len(started)}", bookmark_interval=0.5, **BARE_SERVER))
        return started[-1].cluster

    yield start
    for running in started:
        running.stop()


def create_pod(cluster: LocalCluster, name: str) -> None:
    """Through a client made now: a restarted cluster has a new token and certificate."""
    RawClient(cluster, cluster.token).create_pod("default", pod_manifest(name, sleeper()))


def run_on(kubeconfig, scenario):
    conn = connect(str(kubeconfig), None, "default")
    app = KubetuiApp(conn)
    try:
        run_app(app, lambda pilot: scenario(app, pilot))
    finally:
        app.connection.close()
        conn.close()


def test_the_header_says_stale_not_live_while_the_watch_is_stalled(clusters, tmp_path):
    cluster = clusters()
    create_pod(cluster, "frozen-in-time")

    async def scenario(app, pilot):
        screen = pods_view(app)
        header, view = workspace(app).query_one(ClusterHeader), screen.query_one(PodTableView)
        await until(lambda: "● live" in header_line(header) and "frozen-in-time" in shown_names(app),
                    message="live with the row")
        # A moment of bookmarks, as on any screen that has been up a while: their cadence is learned.
        await until(lambda: screen._watch is not None and screen._watch.silence.expected_interval < 5,
                    message="the bookmark cadence learned")
        # The open watch is closed and every new one gets no byte, not even headers.
        set_faults(cluster, stall_watch_seconds=60, drop_watches_every=0.3)
        await until(lambda: "stale since" in header_line(header), timeout=30, message="stale in the header")
        assert "● live" not in header.render().plain
        await until(lambda: view.stale, message="rows dimmed")
        assert "frozen-in-time" in shown_names(app)  # the last data stays, marked
        set_faults(cluster, reset=True)
        await until(lambda: "● live" in header_line(header), timeout=30, message="live once bytes flow")
        assert not view.stale

    run_on(cluster.write_kubeconfig(tmp_path / "kc"), scenario)


def test_a_cluster_restarted_with_a_new_certificate_is_followed_without_ghosts(clusters, tmp_path):
    cluster = clusters()
    kubeconfig = cluster.write_kubeconfig(tmp_path / "kc")
    for name in ("ghost-a", "ghost-b"):
        create_pod(cluster, name)

    async def scenario(app, pilot):
        header = workspace(app).query_one(ClusterHeader)
        await until(lambda: "● live" in header_line(header) and len(shown_names(app)) == 2, message="live")
        first = app.connection
        cluster.stop()
        await until(lambda: header.error_message, timeout=30, message="the outage in the banner")
        cluster.options.port = cluster.port  # the same port, a new certificate, token and store
        cluster.start()
        create_pod(cluster, "reborn")
        cluster.write_kubeconfig(kubeconfig)
        await until(lambda: shown_names(app) == ["reborn"], timeout=40, message="only the new server's pod")
        await until(lambda: "● live" in header_line(header) and not header.error_message, timeout=30,
                    message="live, banner gone")
        assert app.connection is not first  # the kubeconfig was read again
        assert app.connection.server == first.server

    run_on(kubeconfig, scenario)


def test_picking_the_current_context_again_reads_the_kubeconfig_again(clusters, tmp_path):
    old, new = clusters(), clusters()
    create_pod(old, "on-the-old-server")
    create_pod(new, "on-the-new-server")
    kubeconfig = old.write_kubeconfig(tmp_path / "kc")

    async def scenario(app, pilot):
        screen = pods_view(app)
        header = workspace(app).query_one(ClusterHeader)
        await until(lambda: shown_names(app) == ["on-the-old-server"], message="the old server's pod")
        new.write_kubeconfig(kubeconfig)  # same context names, another server
        await pilot.press("c")
        picker = await until(lambda: isinstance(app.screen, ContextPicker) and app.screen)
        assert picker.query_one(OptionList).highlighted == 0  # the current context
        await pilot.press("enter")
        await until(lambda: shown_names(app) == ["on-the-new-server"], message="the new server's pod")
        assert f"server {new.url}" in header.render().plain
        assert app.connection.context == "kubetui-local" and screen.namespace == "default"
        await until(lambda: "● live" in header_line(header))

    run_on(kubeconfig, scenario)
