"""The generic resource table widget on its own, and the dialogs the resource views open.

The widget is fed rows shaped as the Table watch delivers them, in a small host app; the
view-level tests run it against the local cluster.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from pilot_helpers import cell_texts
from textual.app import App, ComposeResult

from kubetui.model.container_rows import ContainerRow
from kubetui.model.resource_table import ResourceBatch, ResourceTable
from kubetui.model.table_rows import Column
from kubetui.ui.screens.confirm_action import ConfirmAction
from kubetui.ui.screens.scale_dialog import ScaleDialog
from kubetui.ui.widgets.container_table import ContainerTable
from kubetui.ui.widgets.resource_table import ResourceTableView
from tests.support.waiting import until

NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc)
COLUMNS = (Column("Name", format="name"), Column("Ready"), Column("Up-to-date", "integer"),
           Column("Available", "integer"), Column("Age"), Column("Images", priority=1))


@dataclass
class Events:
    reset: bool
    upserts: list = field(default_factory=list)
    deletes: list = field(default_factory=list)


def item(name, ready="1/1", *, namespace="default", created_ago=600, deleting=False, image="nginx:1.27"):
    metadata = {"name": name, "namespace": namespace,
                "creationTimestamp": (NOW - timedelta(seconds=created_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")}
    if deleting:
        metadata["deletionTimestamp"] = metadata["creationTimestamp"]
    return {"metadata": metadata, "cells": [name, ready, 1, 1, "10m", image]}


class Host(App):
    def __init__(self, table: ResourceTable, **options) -> None:
        super().__init__()
        self.table, self.options = table, options

    def compose(self) -> ComposeResult:
        yield ResourceTableView(self.table, **self.options)


def hosted(items, scenario, size=(100, 12), **options):
    table = ResourceTable()
    table.apply(ResourceBatch.from_events(Events(True, items), COLUMNS))

    async def main():
        app = Host(table, **options)
        async with app.run_test(size=size) as pilot:
            view = app.query_one(ResourceTableView)
            view.focus()
            view.tick(NOW)
            view.table_changed(None)
            await pilot.pause()
            await scenario(pilot, view)

    asyncio.run(main())


def lines(view):
    return [view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height)]


def test_the_servers_columns_are_drawn_aligned_and_wide_ones_only_on_request():
    async def scenario(pilot, view):
        shown = lines(view)
        assert shown[0].split() == ["NAME↑", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
        assert shown[1].split() == ["api", "1/1", "1", "1", "10m"]
        assert shown[0].index("READY") == shown[1].index("1/1")
        view.set_wide(True)
        await pilot.pause()
        assert lines(view)[0].split()[-1] == "IMAGES" and lines(view)[1].endswith("nginx:1.27")

    hosted([item("web"), item("api")], scenario)


def test_age_ticks_with_the_clock_and_namespace_comes_first_across_namespaces():
    async def scenario(pilot, view):
        assert lines(view)[1].split() == ["team-a", "web", "1/1", "1", "1", "59s"]
        view.tick(NOW + timedelta(seconds=2))
        await pilot.pause()
        assert lines(view)[1].split()[-1] == "61s"

    hosted([item("web", namespace="team-a", created_ago=59)], scenario, show_namespace=True)


def test_keys_move_the_cursor_and_a_header_click_sorts():
    async def scenario(pilot, view):
        await pilot.press("j")
        assert view.table.cursor_key == "default/b"
        await pilot.press("G")
        assert view.table.cursor_key == "default/c"
        await pilot.click(ResourceTableView, offset=(1, 0))  # NAME: again, so reversed
        await pilot.pause()
        assert lines(view)[1].split()[0] == "c" and lines(view)[0].startswith("NAME↓")
        await pilot.click(ResourceTableView, offset=(lines(view)[0].index("AGE") + 1, 0))  # youngest first
        await pilot.pause()
        assert [line.split()[0] for line in lines(view)[1:4]] == ["b", "c", "a"]

    hosted([item("a", created_ago=900), item("b", created_ago=10), item("c", created_ago=300)], scenario)


def test_a_row_being_deleted_is_drawn_as_terminating():
    async def scenario(pilot, view):
        view.table.set_cursor(1)
        view.table_changed(None)
        await pilot.pause()
        strip = view.render_line(1)
        terminating = view.get_component_rich_style("pod-table--terminating", partial=True)
        assert all(segment.style.color == terminating.color for segment in strip if segment.text.strip())

    hosted([item("leaving", deleting=True), item("zz")], scenario)


class DialogHost(App):
    def __init__(self, screen) -> None:
        super().__init__()
        self.dialog, self.answers = screen, []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.answers.append)


def dialog_run(screen, scenario):
    async def main():
        app = DialogHost(screen)
        async with app.run_test(size=(100, 20)) as pilot:
            await pilot.pause()
            await scenario(pilot, app)

    asyncio.run(main())


def _text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def test_the_confirmation_names_kind_name_namespace_and_context_and_y_confirms():
    async def scenario(pilot, app):
        assert "Delete deployment.apps web in namespace prod on context kind-prod?" in _text(app)
        await pilot.press("y")
        assert app.answers == [True]

    dialog_run(ConfirmAction("delete", "deployment.apps", "web", "prod", "kind-prod"), scenario)


def test_n_and_escape_cancel_and_a_kill_is_worded_more_strongly():
    for key in ("n", "escape"):
        async def scenario(pilot, app, key=key):
            text = _text(app)
            assert "KILL pod web-1 in namespace prod on context kind-prod NOW?" in text
            assert "grace period 0" in text
            await pilot.press(key)
            assert app.answers == [False]

        dialog_run(ConfirmAction("kill", "pod", "web-1", "prod", "kind-prod"), scenario)


def test_the_scale_dialog_starts_at_the_current_count_and_refuses_a_non_count():
    async def scenario(pilot, app):
        assert "Current count: 3 replicas" in _text(app)
        await pilot.press("backspace")  # the current count was selected: typing replaces it
        await pilot.press("enter")
        await until(lambda: "not a count" in _text(app), message="the refusal line")
        assert app.answers == []
        await pilot.press("5", "enter")
        assert app.answers == [5]

    dialog_run(ScaleDialog("deployment.apps", "web", "prod", "kind-prod", 3), scenario)


def test_escape_cancels_the_scale_dialog():
    async def scenario(pilot, app):
        await pilot.press("escape")
        assert app.answers == [None]

    dialog_run(ScaleDialog("deployment.apps", "web", "prod", "kind-prod", 3), scenario)


class ContainersHost(App):
    def compose(self) -> ComposeResult:
        yield ContainerTable()


def test_the_container_table_updates_cells_in_place():
    rows = [ContainerRow("sidecar", "proxy", "envoy:1", "true", "Running", 0),
            ContainerRow("container", "app", "nginx:1", "false", "Waiting: CrashLoopBackOff", 3, "Error", 1,
                         None, NOW - timedelta(minutes=5), "http:80/TCP")]

    async def main():
        app = ContainersHost()
        async with app.run_test(size=(140, 10)) as pilot:
            table = app.query_one(ContainerTable)
            table.show(rows, NOW)
            await pilot.pause()
            assert cell_texts(table)[1] == ["container", "app", "nginx:1", "false", "Waiting: CrashLoopBackOff", "3",
                                            "Error, exit 1, 5m ago", "http:80/TCP"]
            table.move_cursor(row=1)
            table.show([rows[0], ContainerRow("container", "app", "nginx:1", "true", "Running", 3, "Error", 1, None,
                                              NOW - timedelta(minutes=5), "http:80/TCP")], NOW + timedelta(minutes=1))
            await pilot.pause()
            assert cell_texts(table)[1][3:5] == ["true", "Running"] and cell_texts(table)[1][6].endswith("6m ago")
            assert table.cursor_row == 1

    asyncio.run(main())
