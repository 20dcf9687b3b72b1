"""When the server goes away or refuses us: a clear banner, the last rows kept and marked stale.

These stop or misconfigure a server, so each uses a cluster of its own, not the session one.
"""

from __future__ import annotations

import yaml
from pilot_helpers import header_line, run_app, shown_names, workspace
from pilot_helpers import run_app, shown_names, workspace

from kubetui.kube.contexts import connect
from kubetui.ui.app import KubetuiApp
from kubetui.ui.widgets.cluster_header import ClusterHeader
from kubetui.ui.widgets.pod_table import PodTableView
from tests.support.clusters import cluster_fixture
from tests.support.pods import pod_manifest, sleeper
from tests.support.waiting import until

own_cluster = cluster_fixture("function")  # a second stop after the test's own is harmless


def test_unreachable_server_keeps_rows_marked_stale_with_a_banner(own_cluster, tmp_path):
    own_cluster.raw.create_pod("default", pod_manifest("survivor", sleeper()))
    conn = connect(str(own_cluster.kubeconfig), None, "default")
    app = KubetuiApp(conn)

    async def scenario(pilot):
        screen = workspace(app)
        header = screen.query_one(ClusterHeader)
        await until(lambda: "survivor" in shown_names(app), message="row before the outage")
        await until(lambda: "● live" in header_line(header))
        own_cluster.stop()
        await until(lambda: header.error_message, timeout=30, message="error banner")
        text = header.render().plain
        assert "cannot reach" in text.lower() or "unreachable" in text.lower(), text
        assert "Traceback" not in text
        await until(lambda: "stale since" in header_line(header), timeout=30, message="stale state")
        await until(lambda: screen.query_one(PodTableView).stale, timeout=30, message="rows marked stale")
        assert "survivor" in shown_names(app)  # the last data stays on screen

    try:
        run_app(app, scenario)
    finally:
        conn.close()


def test_rejected_credentials_show_an_unauthorized_banner(own_cluster, tmp_path):
    path = own_cluster.kubeconfig
    document = yaml.safe_load(path.read_text())
    for user in document["users"]:
        user["user"]["token"] = "not-the-token"
    path.write_text(yaml.safe_dump(document))
    conn = connect(str(path), None, "default")
    app = KubetuiApp(conn)

    async def scenario(pilot):
        header = workspace(app).query_one(ClusterHeader)
        await until(lambda: header.error_message, timeout=30, message="error banner")
        assert header.error_title == "Unauthorized"
        assert "401" in header.render().plain

    try:
        run_app(app, scenario)
    finally:
        conn.close()


def test_state_words_for_the_header():
    from datetime import datetime, timezone

    from kubetui.ui.widgets.cluster_header import state_text

    since = datetime(2026, 11, 26, 12, 3, 4, tzinfo=timezone.utc)
    local = since.astimezone().strftime("%H:%M:%S")
    assert state_text("live")[0] == "● live"
    assert state_text("reconnecting", 3)[0] == "reconnecting (3)"
    assert state_text("stale", 1, since)[0] == f"stale since {local}"
    assert state_text("reconnecting", 2, since)[0] == f"reconnecting (2) · stale since {local}"
    assert state_text("connecting")[0] == "connecting…"
