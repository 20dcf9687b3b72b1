"""The app opens on a real local cluster and says where it is: context, server, namespace."""

from __future__ import annotations

import asyncio

from kubetui.kube.contexts import connect
from kubetui.ui.app import KubetuiApp
from kubetui.ui.widgets.cluster_header import ClusterHeader


def test_header_shows_context_server_and_namespace(cluster, tmp_path):
    kubeconfig = cluster.write_kubeconfig(tmp_path / "kc")
    conn = connect(str(kubeconfig), None, "kube-system")

    async def scenario():
        app = KubetuiApp(conn, readonly=True)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            header = app.query_one(ClusterHeader)
            text = header.render().plain
            assert "kubetui-local" in text
            assert cluster.url in text
            assert "kube-system" in text
            assert "read-only" in text
            await pilot.press("q")
        assert app.return_code in (0, None)

    try:
        asyncio.run(scenario())
    finally:
        conn.close()
