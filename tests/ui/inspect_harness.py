"""Fixtures and helpers for the inspect tests (describe and YAML tabs, an object's events, the
failure line): a seeded local cluster with its kubelets running (sample-port-clash crash-loops
at once), the app on it, kubectl on the same server, and the pieces a user looks at.

Import the fixtures into a test module: `from inspect_harness import app_on, seeded  # noqa: F401`
(the resource view tests use them too).
"""

from __future__ import annotations

import pytest
from pilot_helpers import pods_view, workspace

from kubetui.kube.contexts import connect
from kubetui.ui.app import KubetuiApp
from kubetui.ui.widgets.inspect_tab import InspectTab
from tests.support.clusters import cluster_fixture
from tests.support.waiting import until

seeded = cluster_fixture(seed=True, time_scale=20.0, bookmark_interval=0.5)


@pytest.fixture
def app_on(seeded, tmp_path, monkeypatch):
    """``app_on(namespace, context, **flags)``: the app on the seeded cluster; files it saves go to
    ``tmp_path``, and so does discovery's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    apps = []

    def make(namespace="default", context=None, **flags):
        flags.setdefault("manifests_dir", tmp_path)
        app = KubetuiApp(connect(str(seeded.kubeconfig), context, namespace), **flags)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.connection.close()


@pytest.fixture
def kubectl_on(seeded):
    """`kubectl_on(*args)`: the venv's kubectl on the seeded cluster; its stdout (fails loudly)."""
    return lambda *args: seeded.kubectl(*args).stdout


async def cursor_on(pilot, app, name: str, timeout: float = 30.0):
    """Put the pods view's cursor on pod ``name`` (once it is listed); its row."""
    view = pods_view(app)
    key = f"{view.namespace or 'default'}/{name}"
    await until(lambda: view.table.select(key), timeout=timeout, message=f"{name} in the pods view")
    view.view.table_changed(None)
    await pilot.pause()
    return view.table.row(key)


def open_tabs(app, kind: type = InspectTab) -> list:
    return [widget for widget in workspace(app).sessions.sessions if isinstance(widget, kind)]


async def new_tab(pilot, app, key: str, kind: type = InspectTab):
    """Press ``key`` and wait for the new tab of ``kind`` to be active and read once."""
    before = set(open_tabs(app, kind))
    await pilot.press(key)
    tab = (await until(lambda: [t for t in open_tabs(app, kind) if t not in before], message=f"a tab from {key}"))[0]
    await until(lambda: workspace(app).sessions.active_session() is tab and tab.pages, message="the tab read")
    return tab
