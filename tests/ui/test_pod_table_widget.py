"""The virtualized pod table on its own: colours, cursor, clock ticks, stale marking, scale.

These feed the widget rows computed from pod dicts (what the watch delivers), in a small host
app; the screen-level tests run the same widget against the local cluster.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest
from textual.app import App, ComposeResult

from kubetui.model import PodTable, RowBatch
from kubetui.ui.widgets.pod_table import PodTableView
from tests.support.pods import container, pod_manifest
from tests.support.waiting import until

NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc)


@dataclass
class Events:
    reset: bool
    upserts: list = field(default_factory=list)
    deletes: list = field(default_factory=list)


def stamp(seconds_ago: float) -> str:
    return (NOW - timedelta(seconds=seconds_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def pod(name: str, state: dict, *, ready=False, restarts=0, phase="Running", deleted=False, created_ago=600):
    status = {"name": "app", "ready": ready, "restartCount": restarts, "state": state}
    if restarts:
        status["lastState"] = {"terminated": {"exitCode": 1, "finishedAt": stamp(90)}}
    metadata = {"creationTimestamp": stamp(created_ago)}
    if deleted:
        metadata["deletionTimestamp"] = stamp(1)
    return pod_manifest(name, container("app"), namespace="default", node="node-1", metadata=metadata,
                        status={"phase": phase, "podIP": "10.0.0.9", "containerStatuses": [status]})


SAMPLES = [
    pod("a-running", {"running": {}}, ready=True),
    pod("b-pending", {"waiting": {"reason": "ContainerCreating"}}, phase="Pending"),
    pod("c-crash", {"waiting": {"reason": "CrashLoopBackOff"}}, restarts=4),
    pod("d-pull", {"waiting": {"reason": "ImagePullBackOff"}}, phase="Pending"),
    pod("e-done", {"terminated": {"reason": "Completed", "exitCode": 0}}, phase="Succeeded"),
    pod("f-leaving", {"running": {}}, ready=True, deleted=True),
    pod("g-error", {"terminated": {"reason": "Error", "exitCode": 1}}, phase="Failed"),
]


class Host(App):
    def __init__(self, table: PodTable) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield PodTableView(self.table)


def hosted(pods, scenario, size=(120, 20)):
    table = PodTable()
    table.apply(RowBatch.from_events(Events(reset=True, upserts=pods), NOW))

    async def main():
        app = Host(table)
        async with app.run_test(size=size) as pilot:
            view = app.query_one(PodTableView)
            view.tick(NOW)
            view.table_changed(None)
            await pilot.pause()
            await scenario(pilot, view)

    asyncio.run(main())


def line_of(view, name):
    for y in range(1, view.scrollable_content_region.height):
        strip = view.render_line(y)
        if name in strip.text:
            return strip
    raise AssertionError(f"{name} not on screen")


def status_segment(view, name, status):
    return next(segment for segment in line_of(view, name) if segment.text.strip() == status)


@pytest.mark.parametrize(
    ("name", "status", "colour"),
    [
        ("a-running", "Running", "green"),
        ("b-pending", "ContainerCreating", "yellow"),
        ("c-crash", "CrashLoopBackOff", "red"),
        ("d-pull", "ImagePullBackOff", "red"),
        ("g-error", "Error", "red"),
        ("f-leaving", "Terminating", "magenta"),
    ],
)
def test_status_cells_are_coloured(name, status, colour):
    async def scenario(pilot, view):
        view.table.select("default/a-running" if name != "a-running" else "default/b-pending")
        color = status_segment(view, name, status).style.color
        red, green, blue = color.get_truecolor()
        dominant = {"green": green > max(red, blue), "red": red > max(green, blue),
                    "yellow": min(red, green) > blue * 1.5, "magenta": min(red, blue) > green * 1.5}
        assert dominant[colour], (status, color)

    hosted(SAMPLES, scenario)


def test_completed_is_dim():
    async def scenario(pilot, view):
        assert status_segment(view, "e-done", "Completed").style.dim
        assert not status_segment(view, "a-running", "Running").style.dim

    hosted(SAMPLES, scenario)


def test_cursor_row_is_highlighted_and_moves_with_keys():
    async def scenario(pilot, view):
        view.focus()
        await pilot.press("j")
        assert view.table.cursor_key == "default/b-pending"
        highlighted = line_of(view, "b-pending")
        plain = line_of(view, "a-running")
        assert list(highlighted)[0].style.bgcolor != list(plain)[0].style.bgcolor

    hosted(SAMPLES, scenario)


def test_age_and_restart_time_tick_without_new_data():
    async def scenario(pilot, view):
        assert "10m" in line_of(view, "a-running").text
        assert "4 (90s ago)" in line_of(view, "c-crash").text
        view.tick(NOW + timedelta(minutes=5))
        assert "15m" in line_of(view, "a-running").text
        assert "4 (6m30s ago)" in line_of(view, "c-crash").text

    hosted(SAMPLES, scenario)


def test_stale_rows_lose_their_colours_and_are_marked():
    async def scenario(pilot, view):
        view.set_stale(True)
        stale = status_segment(view, "c-crash", "CrashLoopBackOff").style
        assert stale.italic and stale.dim
        view.set_stale(False)
        assert not status_segment(view, "c-crash", "CrashLoopBackOff").style.italic

    hosted(SAMPLES, scenario)


def test_only_visible_rows_are_rendered_at_fifty_thousand_pods():
    many = [pod(f"pod-{index:05d}", {"running": {}}, ready=True) for index in range(50_000)]
    rendered = []

    async def scenario(pilot, view):
        original = view.table.key_at

        def counting(index):
            rendered.append(index)
            return original(index)

        view.table.key_at = counting
        view.focus()
        await pilot.press("G")
        await until(lambda: rendered and max(rendered) == 49_999, message="last row drawn")
        assert "pod-49999" in line_of(view, "pod-49999").text
        assert len(set(rendered)) < 100  # a screenful, not 50,000 rows

    hosted(many, scenario, size=(120, 30))


def test_rows_arriving_above_the_screen_do_not_move_what_is_shown():
    many = [pod(f"pod-{index:05d}", {"running": {}}, ready=True) for index in range(2_000)]

    async def scenario(pilot, view):
        view.focus()
        await pilot.press("pagedown", "pagedown", "pagedown")
        before = [view.render_line(y).text for y in range(1, 10)]
        cursor = view.table.cursor_key
        arrivals = [pod(f"pod-000-{index}", {"running": {}}) for index in range(5)]  # sort first, same width
        view.table_changed(view.table.apply(RowBatch.from_events(Events(reset=False, upserts=arrivals), NOW)))
        await pilot.pause()
        assert [view.render_line(y).text for y in range(1, 10)] == before
        assert view.table.cursor_key == cursor

    hosted(many, scenario, size=(120, 30))


def test_changes_off_screen_redraw_nothing():
    many = [pod(f"pod-{index:05d}", {"running": {}}, ready=True) for index in range(2_000)]
    many.append(pod("pod-99999", {"waiting": {"reason": "CrashLoopBackOff"}}, restarts=1))  # columns at full width
    drawn = []

    async def scenario(pilot, view):
        await pilot.pause()
        original = view.render_line

        def recording(y):
            drawn.append(y)
            return original(y)

        view.render_line = recording
        far = [pod("pod-01500", {"waiting": {"reason": "CrashLoopBackOff"}}, restarts=1),
               pod("pod-0199x", {"running": {}})]
        view.table_changed(view.table.apply(RowBatch.from_events(Events(reset=False, upserts=far), NOW)))
        await pilot.pause()
        assert drawn == []
        near = [pod("pod-00003", {"waiting": {"reason": "CrashLoopBackOff"}}, restarts=1)]
        view.table_changed(view.table.apply(RowBatch.from_events(Events(reset=False, upserts=near), NOW)))
        await pilot.pause()
        assert drawn == [4]  # the header is line 0: pod-00003 is on line 4, alone

    hosted(many, scenario, size=(120, 30))
