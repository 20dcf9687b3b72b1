"""Shared by the log tab tests: a cluster whose kubelets run the containers' shell scripts and
whose controllers run Deployments, the app on a namespace, and reading what a log tab shows."""

from __future__ import annotations

import pytest
from pilot_helpers import pods_view, shown_names

from kubetui.kube.contexts import connect
from kubetui.ui.app import KubetuiApp
from kubetui.ui.widgets.log_tab import LogTab
from tests.support.clusters import RawClient, cluster_fixture
from tests.support.waiting import until

SIZE = (150, 40)

# Kubelets and controllers; simulated time 50 times faster (sleeps and back-offs).
log_cluster = cluster_fixture(time_scale=50, bookmark_interval=0.5)


@pytest.fixture
def log_raw(log_cluster) -> RawClient:
    return log_cluster.raw


@pytest.fixture
def log_ns(log_cluster):
    with log_cluster.namespace("l") as name:
        yield name


@pytest.fixture
def log_app(log_cluster, tmp_path):
    """``log_app(namespace)``: the whole app on ``namespace``; saved logs go to ``tmp_path``."""
    apps = []

    def make(namespace):
        app = KubetuiApp(connect(str(log_cluster.kubeconfig), None, namespace), manifests_dir=tmp_path)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.connection.close()


def log_tabs(app) -> list[LogTab]:
    return list(app.screen.query(LogTab))


def rows(tab: LogTab) -> list[str]:
    """The log view's rows as the user sees them."""
    view = tab.view
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


async def open_logs(pilot, app, pod: str) -> LogTab:
    """Select ``pod`` in the pod table, press l, wait for the new tab."""
    pods = pods_view(app)
    await until(lambda: pod in shown_names(app), message=f"{pod} in the table")
    pods.table.select(f"{pods.namespace}/{pod}")
    return await press_for_tab(pilot, app, "l")


async def press_for_tab(pilot, app, key: str) -> LogTab:
    before = set(log_tabs(app))
    await pilot.press(key)
    return (await until(lambda: [t for t in log_tabs(app) if t not in before], message="a new log tab"))[0]


async def rows_say(tab: LogTab, predicate, message: str, timeout: float = 20.0) -> list[str]:
    return await until(lambda: predicate(rows(tab)) and rows(tab), timeout=timeout, message=message)
