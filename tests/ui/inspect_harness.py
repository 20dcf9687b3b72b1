"""Fixtures and helpers for the inspect tests (describe and YAML tabs, an object's events, the
failure line): a seeded local cluster with its kubelets running (sample-port-clash crash-loops
at once), the app on it, kubectl on the same server, and the pieces a user looks at.

Import the fixtures into a test module: `from inspect_harness import app_on, seeded  # noqa: F401`.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from pilot_helpers import pods_view, until, workspace

from kubetui.kube.contexts import connect
from kubetui.localcluster import ClusterOptions, LocalCluster
from kubetui.ui.app import KubetuiApp
from kubetui.ui.widgets.inspect_tab import InspectTab
from tests.conftest import KUBECTL


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    cluster = LocalCluster(ClusterOptions(port=0, seed=True, time_scale=20.0, bookmark_interval=0.5))
    cluster.start()
    path = cluster.write_kubeconfig(tmp_path_factory.mktemp("inspect") / "config")
    yield cluster, path
    cluster.stop()


@pytest.fixture
def app_on(seeded, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # discovery's cache stays in the test
    apps = []

    def make(namespace="default", **flags):
        flags.setdefault("manifests_dir", tmp_path)
        app = KubetuiApp(connect(str(seeded[1]), None, namespace), **flags)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.connection.close()


@pytest.fixture
def kubectl_on(seeded, tmp_path):
    """`kubectl_on(*args)`: the venv's kubectl on the seeded cluster; its stdout (fails loudly)."""
    env = {**os.environ, "KUBECACHEDIR": str(tmp_path / "kubecache")}

    def run(*args: str) -> str:
        done = subprocess.run([KUBECTL, "--kubeconfig", str(seeded[1]), *args], capture_output=True, text=True,
                              env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run


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
