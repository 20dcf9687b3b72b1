"""Shared by the apply panel's Pilot tests: an app on a namespace with a manifests directory, and
reading what the panel shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import apply_dock

from kubetui.kube.contexts import connect
from kubetui.ui.app import KubetuiApp
from tests.support.waiting import until


@pytest.fixture
def apply_app(kubeconfig_path, tmp_path, monkeypatch):
    """``apply_app(namespace, readonly=False, context=None)``: a KubetuiApp whose panel browses tmp_path/manifests."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the discovery cache stays in the test
    folder = tmp_path / "manifests"
    folder.mkdir()
    apps = []

    def make(namespace, *, readonly=False, context=None):
        conn = connect(str(kubeconfig_path), context, namespace)
        app = KubetuiApp(conn, readonly=readonly, manifests_dir=folder)
        apps.append(app)
        return app

    make.folder = folder
    yield make
    for app in apps:
        app.connection.close()


def panel_of(app):
    return apply_dock(app)


async def open_panel(pilot):
    await pilot.press("a")
    panel = panel_of(pilot.app)
    await until(lambda: panel.is_open and panel.browser.has_focus, message="the panel open, its browser focused")
    return panel


async def choose_sample(pilot, panel, name: str):
    """Walk the browser with the keyboard to Samples/<name> and press Enter."""
    browser = panel.browser
    await pilot.press("home")
    for _ in range(40):
        node = browser.cursor_node
        if node is not None and node.data is not None and node.data.name == name:
            break
        await pilot.press("down")
    await pilot.press("enter")
    await until(lambda: panel.source.name == name, message=f"{name} in the editor")


async def results_say(panel, text: str, timeout: float = 15.0, message: str = ""):
    return await until(lambda: any(text in line for line in panel.results.lines()), timeout=timeout,
                       message=message or f"results saying {text!r}")


def pod_names(raw, namespace) -> list[str]:
    items = raw.json("GET", f"/api/v1/namespaces/{namespace}/pods", expect=200)["items"]
    return sorted(item["metadata"]["name"] for item in items)


def write_manifest(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path
