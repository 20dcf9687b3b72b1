"""The header says "TLS not verified" when, and only when, the kubeconfig switched verification off."""

from __future__ import annotations

import yaml
from pilot_helpers import run_app

from kubetui.kube.contexts import connect
from kubetui.ui.app import KubetuiApp
from kubetui.ui.widgets.cluster_header import ClusterHeader
from tests.support.waiting import until


def _header_text(app) -> str:
    return app.query_one(ClusterHeader).render().plain


def _open(kubeconfig: str) -> tuple[str, str]:
    """The header's text once the pod watch is live, for a connection to `kubeconfig`."""
    conn = connect(kubeconfig, None, "kube-system")
    seen = {}

    async def scenario(pilot):
        await until(lambda: "live" in _header_text(pilot.app), message="the watch to go live")
        seen["text"] = _header_text(pilot.app)

    try:
        run_app(KubetuiApp(conn, readonly=True), scenario)
    finally:
        conn.close()
    return seen["text"], conn.server


def test_header_marks_an_unverified_connection(cluster, kubeconfig_path, tmp_path):
    config = yaml.safe_load(kubeconfig_path.read_text())
    config["clusters"][0]["cluster"] = {"server": cluster.url, "insecure-skip-tls-verify": True}
    insecure = tmp_path / "kc"
    insecure.write_text(yaml.safe_dump(config))
    text, server = _open(str(insecure))
    assert f"{server}  TLS not verified" in text


def test_header_has_no_mark_when_tls_is_verified(kubeconfig_path):
    text, _ = _open(str(kubeconfig_path))
    assert "TLS not verified" not in text
