"""shift+f on a pod: the ports dialog, a forward that serves nginx's page in the background, `:pf`
listing it with its connections, ctrl+d stopping it; and `--readonly` refusing it with the reason."""

from __future__ import annotations

import asyncio
import http.client

import pytest
from inspect_harness import cursor_on
from pilot_helpers import run_app, screen_text, workspace

from kubetui.kube.contexts import connect
from kubetui.localcluster import ClusterOptions, LocalCluster
from kubetui.model.kubectl_grammar import PORT_FORWARD_READONLY
from kubetui.ui.app import KubetuiApp
from kubetui.ui.screens.port_forward_dialog import PortForwardDialog
from kubetui.ui.views import PortForwardsView
from tests.support.clusters import RawClient
from tests.support.waiting import until

WEB = {"metadata": {"name": "web"},
       "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27",
                                "ports": [{"containerPort": 80, "name": "http"}]}]}}


@pytest.fixture(scope="module")
def cluster_with_web(tmp_path_factory):
    cluster = LocalCluster(ClusterOptions(port=0, time_scale=20.0, bookmark_interval=0.5))
    cluster.start()
    RawClient(cluster, cluster.token).json("POST", "/api/v1/namespaces/default/pods", WEB, expect=201)
    path = cluster.write_kubeconfig(tmp_path_factory.mktemp("pf") / "config")
    yield path
    cluster.stop()


def get_page(port: int) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_shift_f_forwards_a_port_in_the_background_pf_lists_it_and_ctrl_d_stops_it(cluster_with_web, tmp_path):
    app = KubetuiApp(connect(str(cluster_with_web), None, "default"), manifests_dir=tmp_path)

    async def scenario(pilot):
        await until(lambda: (row := workspace(app).view.table.row("default/web")) and row.status == "Running",
                    timeout=30, message="web running")
        await cursor_on(pilot, app, "web")
        await pilot.press("F")
        dialog = await until(lambda: isinstance(app.screen, PortForwardDialog) and app.screen, timeout=30,
                             message="the dialog")
        await until(lambda: "80/TCP http  (nginx)" in screen_text(app), message="the declared port offered")
        await pilot.press("ctrl+u", "0", "enter")  # local port 0: any free one
        forwards = app.port_forwards
        entry = await until(lambda: forwards.entries and forwards.entries[0].listening and forwards.entries[0],
                            message="the forward listening")
        assert not dialog.is_attached
        assert app.last_kubectl == "kubectl port-forward web :80"
        status, body = await asyncio.to_thread(get_page, entry.port.local)
        assert status == 200 and b"Welcome to nginx!" in body

        await pilot.press("colon", *"pf", "enter")
        view = await until(lambda: isinstance(workspace(app).view, PortForwardsView) and workspace(app).view,
                           message="the :pf view")
        await until(lambda: view.table.row_count == 1 and "1 in all" in str(view.table.get_row_at(0)),
                    message="the forward listed with its connection")
        cells = [str(cell) for cell in view.table.get_row_at(0)]
        assert cells[:5] == ["default", "web", "-", str(entry.port.local), "80"]
        assert cells[6] == "Active"

        await pilot.press("ctrl+d")
        await until(lambda: str(view.table.get_row_at(0)[6]) == "Stopped", message="the forward stopped")
        await until(lambda: entry.forward.wait(0), message="its listener closed")
        with pytest.raises(OSError):
            await asyncio.to_thread(get_page, entry.port.local)
        await pilot.press("ctrl+d")  # again: gone from the list
        await until(lambda: view.table.row_count == 0, message="the stopped forward removed")

        # The : line's port-forward, as kubectl takes it: a named port, any free local port.
        await pilot.press("colon", *"port-forward pod/web :http", "enter")
        second = await until(lambda: forwards.entries and forwards.entries[0].listening and forwards.entries[0],
                             timeout=30, message="the : line's forward listening")
        assert second.port.remote == 80 and second.port.local != 0
        status, _ = await asyncio.to_thread(get_page, second.port.local)
        assert status == 200
        await until(lambda: view.table.row_count == 1, message="listed in :pf")

    try:
        run_app(app, scenario)
    finally:
        app.connection.close()


def test_readonly_refuses_a_port_forward_with_the_reason(cluster_with_web, tmp_path):
    app = KubetuiApp(connect(str(cluster_with_web), None, "default"), readonly=True, manifests_dir=tmp_path)

    async def scenario(pilot):
        await cursor_on(pilot, app, "web")
        await pilot.press("F")
        await until(lambda: any(PORT_FORWARD_READONLY in n.message for n in app._notifications),
                    message="the refusal")
        assert not isinstance(app.screen, PortForwardDialog) and not app.port_forwards.entries

    try:
        run_app(app, scenario)
    finally:
        app.connection.close()
