"""Shared pieces of the command-line Pilot tests: a seeded local cluster with controllers and
kubelets (module-wide), apps on it, and typing a line into `:`."""

from __future__ import annotations

import shutil

import pytest
from pilot_helpers import screen_text, workspace
from tests.support.waiting import until

from kubetui.kube.contexts import connect
from kubetui.localcluster import ClusterOptions, LocalCluster
from kubetui.ui.app import KubetuiApp


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    cluster = LocalCluster(ClusterOptions(port=0, seed=True, time_scale=20.0, bookmark_interval=0.5))
    cluster.start()
    path = cluster.write_kubeconfig(tmp_path_factory.mktemp("command-line") / "config")
    yield cluster, path
    cluster.stop()


@pytest.fixture
def app_on(seeded, tmp_path, monkeypatch):
    """``app_on(**flags)``: an app on a private copy of the seeded cluster's kubeconfig (config
    commands write it), the manifests directory ``tmp_path / "manifests"``."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    kubeconfig = tmp_path / "kubeconfig"
    shutil.copy(seeded[1], kubeconfig)
    (tmp_path / "manifests").mkdir()
    apps = []

    def make(namespace="default", **flags):
        app = KubetuiApp(connect(str(kubeconfig), None, namespace), manifests_dir=tmp_path / "manifests", **flags)
        apps.append(app)
        return app

    make.kubeconfig = kubeconfig
    make.manifests = tmp_path / "manifests"
    yield make
    for app in apps:
        app.connection.close()


async def type_line(pilot, line: str) -> None:
    """`:` and the line, not run yet."""
    await pilot.press("colon", *line)
    command_line = workspace(pilot.app).command_line
    await until(lambda: command_line.input.value == line, message=f"{line!r} on the command line")


async def run_line(pilot, line: str) -> None:
    await type_line(pilot, line)
    await pilot.press("enter")


async def running(pilot) -> None:
    """The demo's pods are up (the pods view shows sample-pod Running)."""
    await until(lambda: "sample-pod " in screen_text(pilot.app) and "Running" in screen_text(pilot.app),
                timeout=30, message="the seeded pods")


def hints(app) -> str:
    return str(workspace(app).command_line.hints.render())
