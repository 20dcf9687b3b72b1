"""The log view on its own, fed from a thread as a follower feeds it: following, scrolling back
while lines arrive, wrapping, the ring's bound, lines that try to drive the terminal.

The screen-level tests run the same widget against the local cluster (test_log_tab*.py).
"""

from __future__ import annotations

import asyncio
import threading

from textual.app import App, ComposeResult

from kubetui.model.log_ring import LogRing
from kubetui.ui.widgets.log_view import LogView
from tests.support.waiting import until

SIZE = (60, 12)


class Host(App):
    def __init__(self, ring: LogRing | None = None) -> None:
        super().__init__()
        self.view = LogView(ring)

    def compose(self) -> ComposeResult:
        yield self.view


def run(scenario, ring: LogRing | None = None, size=SIZE):
    app = Host(ring)

    async def main():
        async with app.run_test(size=size) as pilot:
            await scenario(pilot, app.view)

    asyncio.run(main())


def feed(view: LogView, batches: list[list[bytes]]) -> None:
    """Deliver ``batches`` from another thread, as the follower does."""
    deliver = view.feeder()
    thread = threading.Thread(target=lambda: [deliver(batch) for batch in batches])
    thread.start()
    thread.join()


def rows(view: LogView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


def numbered(start: int, stop: int) -> list[bytes]:
    return [f"line {n}".encode() for n in range(start, stop)]


def test_following_shows_the_newest_lines_and_scrolling_up_holds_the_view_while_lines_arrive():
    async def scenario(pilot, view):
        feed(view, [numbered(0, 50), numbered(50, 100)])
        await until(lambda: rows(view)[-1] == "line 99", message="the newest line at the bottom")
        assert rows(view) == [f"line {n}" for n in range(88, 100)]

        await pilot.press("k", "k", "pageup")  # up: following stops
        held = rows(view)
        assert not view.follow and held[0] == "line 75"
        feed(view, [numbered(100, 120)])
        await until(lambda: view.new_since_pause == 20, message="new lines counted")
        await pilot.pause()
        assert rows(view) == held, "the view stays on what the user reads"

        await pilot.press("G")
        await until(lambda: rows(view)[-1] == "line 119", message="following again")
        await pilot.press("g")
        await until(lambda: rows(view)[0] == "line 0", message="the oldest line")
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown",
                          "pagedown", "pagedown", "pagedown", "pagedown")
        assert view.follow, "paging down to the end follows again"

    run(scenario)


def test_wrap_splits_long_lines_and_without_it_right_scrolls_sideways():
    long = b"start " + b"x" * 100 + b" end"

    async def scenario(pilot, view):
        feed(view, [[b"short", long]])
        await until(lambda: rows(view)[1].startswith("start xxx"), message="the long line cut")
        assert [row for row in rows(view) if row] == ["short", ("start " + "x" * 100)[:60]]
        await pilot.press("right")
        assert rows(view)[1] == ("start " + "x" * 100 + " end")[8:68]

        view.set_wrap(True)
        await pilot.pause()
        shown = [row for row in rows(view) if row]
        assert shown == ["short", ("start " + "x" * 54), "x" * 46 + " end"]
        await pilot.press("k")  # one row up inside the wrapped line
        assert [row for row in rows(view) if row][0] == "short"

    run(scenario)


def test_the_ring_bounds_memory_and_the_view_shows_the_newest_lines():
    async def scenario(pilot, view):
        feed(view, [numbered(start, start + 1000) for start in range(0, 30_000, 1000)])
        await until(lambda: rows(view)[-1] == "line 29999", message="the last line")
        assert len(view.ring) == 5000 and view.ring.first == 25_000

    run(scenario, ring=LogRing(capacity=5000))


def test_lines_that_would_drive_the_terminal_are_shown_not_obeyed():
    async def scenario(pilot, view):
        feed(view, [[b"\x1b[31mred\x1b[0m plain", b"clear\x1b[2J screen\x1bc", b"bell\x07 back\x08 cr\r",
                     b"tab\there", b"\xff\xfe not utf-8"]])
        await until(lambda: rows(view)[4], message="the lines")
        shown = rows(view)
        assert shown[:5] == ["red plain", "clear screen\ufffdc", "bell\ufffd back\ufffd cr", "tab     here",
                             "\ufffd\ufffd not utf-8"]
        red = next(iter(view.render_line(0)))
        assert red.text == "red" and red.style.color.number == 1  # ANSI red
        assert not any("\x1b" in segment.text for y in range(5) for segment in view.render_line(y))

    run(scenario)


def test_a_view_with_no_line_says_why():
    async def scenario(pilot, view):
        view.set_note("waiting for the container to start")
        await pilot.pause()
        assert rows(view)[0] == "waiting for the container to start"
        feed(view, [[b"first"]])
        await until(lambda: rows(view)[0] == "first", message="the first line replaces the note")

    run(scenario)
