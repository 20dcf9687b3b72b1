"""Helpers for Pilot tests: run an app headless and read what the screen shows (waiting on a
condition is `tests.support.waiting.until`)."""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable

from kubetui.ui.apply_dock import ApplyDock
from kubetui.ui.sessions import SessionsArea
from kubetui.ui.views.pods import PodsView
from kubetui.ui.widgets.pod_table import PodTableView
from kubetui.ui.workspace import WorkspaceScreen

SIZE = (160, 40)


def run_app(app, scenario: Callable[[Any], Awaitable[None]], size: tuple[int, int] = SIZE) -> None:
    """Run ``scenario(pilot)`` inside ``app.run_test`` and then quit the app as a user would."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await scenario(pilot)
            await pilot.press("q")
        assert app.return_code in (0, None)

    asyncio.run(main())


def workspace(app) -> WorkspaceScreen:
    for screen in app.screen_stack:
        if isinstance(screen, WorkspaceScreen):
            return screen
    raise AssertionError("no workspace screen")


def pods_view(app) -> PodsView:
    """The pods view: its `table` (the model), `view` (the table widget) and `namespace`."""
    return workspace(app).query_one(PodsView)


def apply_dock(app) -> ApplyDock:
    return workspace(app).query_one(ApplyDock)


def sessions_area(app) -> SessionsArea:
    for screen in app.screen_stack:
        for area in screen.query(SessionsArea):
            return area
    raise AssertionError("no sessions area")


def table_lines(app) -> list[str]:
    """The pod table as the user sees it, header first, one string per screen line."""
    view = pods_view(app).query_one(PodTableView)
    return [view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height)]


def shown_names(app) -> list[str]:
    """Names in the visible rows (the NAME column, after NAMESPACE when it is shown)."""
    lines = table_lines(app)
    if not lines:
        return []  # not laid out yet
    column = 1 if lines[0].startswith("NAMESPACE") else 0
    return [line.split()[column] for line in lines[1:] if line.strip()]


def screen_text(app) -> str:
    """Every line of the current screen, as plain text (modal screens included)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def header_line(header) -> str:
    """What the cluster header says, its watch state ("● live", "stale since …") included."""
    return header.render().plain


def cell_texts(table) -> list[list[str]]:
    """What each row of a DataTable says."""
    return [[str(value) for value in table.get_row(key)] for key in table.rows]
