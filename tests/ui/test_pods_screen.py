"""The pods screen on the real local cluster: rows from the watch, filter, sort, cursor, switching.

Each test works in a fresh namespace (the `namespace` fixture) and starts the app on it, so what
other tests leave on the shared server never shows up here.
"""

from __future__ import annotations

import re
import uuid

import pytest
from pilot_helpers import header_line, pods_view, run_app, shown_names, table_lines, workspace
from pilot_helpers import pods_view, run_app, shown_names, table_lines, workspace
from textual.widgets import OptionList

from kubetui.kube.contexts import connect
from kubetui.ui.app import KubetuiApp
from kubetui.ui.screens.context_picker import ContextPicker
from kubetui.ui.screens.help import HelpScreen
from kubetui.ui.screens.namespace_picker import NamespacePicker
from kubetui.ui.widgets.cluster_header import ClusterHeader
from kubetui.ui.widgets.pod_table import PodTableView
from tests.support.pods import pod_manifest, sleeper
from tests.support.waiting import until


def delete_pod(raw, namespace, name):
    status, _, data = raw.request("DELETE", f"/api/v1/namespaces/{namespace}/pods/{name}?gracePeriodSeconds=0")
    assert status in (200, 202), data


@pytest.fixture
def app_for(kubeconfig_path):
    """``app_for(namespace, **flags)``: a KubetuiApp on the admin context; closes its connections."""
    apps = []

    def make(namespace, *, all_namespaces=False, context=None):
        conn = connect(str(kubeconfig_path), context, namespace)
        app = KubetuiApp(conn, all_namespaces=all_namespaces)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.connection.close()


async def wait_rows(app, names, message="rows"):
    await until(lambda: sorted(shown_names(app)) == sorted(names), message=f"{message} {names}")


def test_rows_appear_and_follow_the_watch(raw, namespace, app_for):
    raw.create_pod(namespace, pod_manifest("alpha", sleeper()))
    raw.create_pod(namespace, pod_manifest("bravo", sleeper()))
    app = app_for(namespace)

    async def scenario(pilot):
        await wait_rows(app, ["alpha", "bravo"])
        header = table_lines(app)[0].split()
        assert header == ["NAME↑", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]
        raw.create_pod(namespace, pod_manifest("charlie", sleeper()))
        await wait_rows(app, ["alpha", "bravo", "charlie"], "created pod shows")
        delete_pod(raw, namespace, "alpha")
        await wait_rows(app, ["bravo", "charlie"], "deleted pod goes")
        header_widget = workspace(app).query_one(ClusterHeader)
        await until(lambda: "● live" in header_line(header_widget))
        await until(lambda: "pods 2  Pending 2" in header_widget.render().plain, message="counts by status")

    run_app(app, scenario)


def test_filter_inverse_and_escape(raw, namespace, app_for):
    for name in ("web-1", "web-2", "api-1"):
        raw.create_pod(namespace, pod_manifest(name, sleeper()))
    app = app_for(namespace)

    async def scenario(pilot):
        await wait_rows(app, ["web-1", "web-2", "api-1"])
        await pilot.press("slash", *"WEB", "enter")
        await wait_rows(app, ["web-1", "web-2"], "case-insensitive filter")
        assert "/WEB (2 shown)" in workspace(app).query_one(ClusterHeader).render().plain
        await pilot.press("slash", "ctrl+u", "!", *"web", "enter")  # reopening edits the current text
        await wait_rows(app, ["api-1"], "inverted filter")
        await pilot.press("escape")
        await wait_rows(app, ["web-1", "web-2", "api-1"], "Esc clears")

        # typed without a pause: the keys after Enter belong to the table, not to the filter
        await pilot.press("slash", *"web", "enter", "G")
        await wait_rows(app, ["web-1", "web-2"], "filter applied")
        assert pods_view(app).table.filter.text == "web"
        assert pods_view(app).view.has_focus
        await until(lambda: pods_view(app).table.cursor_key == f"{namespace}/web-2", message="G reached the table")

    run_app(app, scenario)


def test_label_filter_is_applied_by_the_server(raw, namespace, app_for):
    raw.create_pod(namespace, pod_manifest("one", sleeper(), labels={"app": "web"}))
    raw.create_pod(namespace, pod_manifest("two", sleeper(), labels={"app": "api"}))
    raw.create_pod(namespace, pod_manifest("three", sleeper(), labels={"app": "web"}))
    app = app_for(namespace)

    async def scenario(pilot):
        pods = pods_view(app)
        await wait_rows(app, ["one", "two", "three"])
        await pilot.press("slash", *"-l app=web", "enter")
        await wait_rows(app, ["one", "three"])
        # Server-side: after the watch restarted with the selector, the other pod is not even held.
        await until(lambda: len(pods.table) == 2, message="only selected pods listed")
        await pilot.press("slash", "ctrl+u", *"-l app in (", "enter")  # bad selector: refused
        assert pods.table.filter.label_selector == "app=web"
        await pilot.press("escape")
        await until(lambda: len(pods.table) == 3, message="all pods after clearing the selector")

    run_app(app, scenario)


def test_sort_keys_reverse_and_header_click(raw, namespace, app_for):
    for name in ("bravo", "alpha", "charlie"):  # created in this order: charlie is the youngest
        raw.create_pod(namespace, pod_manifest(name, sleeper()))
    app = app_for(namespace)

    async def scenario(pilot):
        await until(lambda: shown_names(app) == ["alpha", "bravo", "charlie"], message="name order")
        await pilot.press("N")
        assert shown_names(app) == ["charlie", "bravo", "alpha"]
        assert table_lines(app)[0].startswith("NAME↓")
        table = pods_view(app).table
        youngest_first = sorted(table.visible_keys(), key=lambda k: (-table.row(k).created.timestamp(), k))
        await pilot.press("A")  # creation times have one-second resolution: ties go by name
        assert table.visible_keys() == youngest_first
        assert table_lines(app)[0].split()[4] == "AGE↑"
        await pilot.press("A")
        assert table.visible_keys() == youngest_first[::-1]
        for key, column in (("S", "STATUS"), ("R", "RESTARTS")):
            await pilot.press(key)
            assert f"{column}↑" in table_lines(app)[0]
            assert sorted(shown_names(app)) == ["alpha", "bravo", "charlie"]
        view = workspace(app).query_one(PodTableView)
        name_x = re.search(r"\bNAME\b", table_lines(app)[0]).start()
        await pilot.click(PodTableView, offset=(name_x + 1, 0))
        assert view.table.sort == ("name", False)
        assert shown_names(app) == ["alpha", "bravo", "charlie"]

    run_app(app, scenario)


def test_cursor_stays_on_its_pod_through_updates_and_resorts(raw, namespace, app_for):
    for name in ("b-pod", "d-pod"):
        raw.create_pod(namespace, pod_manifest(name, sleeper()))
    app = app_for(namespace)

    async def scenario(pilot):
        pods = pods_view(app)
        await wait_rows(app, ["b-pod", "d-pod"])
        await pilot.press("j")
        assert pods.table.cursor_key == f"{namespace}/d-pod"
        raw.create_pod(namespace, pod_manifest("a-pod", sleeper()))
        raw.create_pod(namespace, pod_manifest("c-pod", sleeper()))
        await wait_rows(app, ["a-pod", "b-pod", "c-pod", "d-pod"])
        assert pods.table.cursor_key == f"{namespace}/d-pod"
        assert pods.table.cursor_index == 3
        for key in ("A", "N", "S"):
            await pilot.press(key)
            assert pods.table.cursor_key == f"{namespace}/d-pod"
            assert "d-pod" in table_lines(app)[pods.table.cursor_index + 1]
        delete_pod(raw, namespace, "d-pod")
        await wait_rows(app, ["a-pod", "b-pod", "c-pod"])
        assert pods.table.cursor_key is not None  # it stays at the same height, on another pod

    run_app(app, scenario)


def test_navigation_keys_move_the_cursor(raw, namespace, app_for):
    names = [f"pod-{index:02d}" for index in range(60)]
    for name in names:
        raw.create_pod(namespace, pod_manifest(name, sleeper()))
    app = app_for(namespace)

    async def scenario(pilot):
        pods = pods_view(app)
        await until(lambda: len(pods.table) == 60, message="60 pods")
        table = pods.table
        await pilot.press("G")
        assert table.cursor_key.endswith("pod-59")
        assert "pod-59" in table_lines(app)[-1]  # scrolled so the cursor row is on screen
        await pilot.press("g")
        assert table.cursor_key.endswith("pod-00")
        await pilot.press("pagedown")
        page = table.cursor_index
        assert page > 10
        await pilot.press("pageup", "down", "down", "up")
        assert table.cursor_index == 1

    run_app(app, scenario)


def test_namespace_picker_and_all_namespaces(raw, namespace, app_for):
    other = f"t-{uuid.uuid4().hex[:10]}"
    raw.json("POST", "/api/v1/namespaces", {"metadata": {"name": other}}, expect=201)
    try:
        raw.create_pod(namespace, pod_manifest("here", sleeper()))
        raw.create_pod(other, pod_manifest("there", sleeper()))
        app = app_for(namespace)

        async def scenario(pilot):
            screen, pods = workspace(app), pods_view(app)
            await wait_rows(app, ["here"])
            await pilot.press("n")
            picker = await until(lambda: isinstance(app.screen, NamespacePicker) and app.screen)
            options = picker.query_one(OptionList)
            await until(lambda: options.option_count > 2, message="namespaces listed")
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            assert options.get_option_at_index(0).prompt == "all"
            assert namespace in ids and other in ids
            options.highlighted = ids.index(other)
            await pilot.press("enter")
            await wait_rows(app, ["there"], "rows of the other namespace")
            assert pods.namespace == other
            assert f"namespace {other}" in screen.query_one(ClusterHeader).render().plain
            await pilot.press("0")
            await until(lambda: {f"{namespace}/here", f"{other}/there"} <= set(pods.table.visible_keys()),
                        message="both pods in all namespaces")
            assert table_lines(app)[0].startswith("NAMESPACE")
            assert pods.namespace is None

        run_app(app, scenario)
    finally:
        raw.request("DELETE", f"/api/v1/namespaces/{other}")


def test_context_switch_to_the_viewer_reconnects(raw, namespace, app_for):
    raw.create_pod(namespace, pod_manifest("seen-by-both", sleeper()))
    app = app_for(namespace, all_namespaces=True)

    async def scenario(pilot):
        screen, pods = workspace(app), pods_view(app)
        await until(lambda: f"{namespace}/seen-by-both" in pods.table, message="pod as admin")
        first = app.connection
        await pilot.press("c")
        picker = await until(lambda: isinstance(app.screen, ContextPicker) and app.screen)
        options = picker.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["kubetui-local", "kubetui-local-viewer"]
        options.highlighted = 1
        await pilot.press("enter")
        await until(lambda: app.connection.context == "kubetui-local-viewer", message="new connection")
        assert app.connection is not first
        header = screen.query_one(ClusterHeader)
        await until(lambda: "context kubetui-local-viewer" in header.render().plain)
        await until(lambda: f"{namespace}/seen-by-both" in pods.table, message="pod as viewer")
        await until(lambda: "● live" in header_line(header))

    run_app(app, scenario)


def test_help_lists_every_binding(raw, namespace, app_for):
    app = app_for(namespace)

    async def scenario(pilot):
        await pilot.press("question_mark")
        help_screen = await until(lambda: isinstance(app.screen, HelpScreen) and app.screen)
        keys = [keys for keys, _ in help_screen._rows]
        for expected in ("j / ↓", "k / ↑", "g / Home", "shift+g / End", "PgDn", "PgUp", "/", "Esc",
                         "shift+n", "shift+a", "shift+s", "shift+r", "n", "0", "c", "?", "q"):
            assert any(expected == k or k.startswith(expected + " /") for k in keys), expected
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, HelpScreen))

    run_app(app, scenario)

