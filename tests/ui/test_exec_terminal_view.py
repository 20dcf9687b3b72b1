"""The terminal widget on its own: drawing, cursor, keys to bytes, ctrl+], scrollback, paste."""

from __future__ import annotations

import asyncio

from textual import events
from textual.app import App

from kubetui.terminal import ScreenBuffer
from kubetui.ui.widgets.terminal_view import TerminalView
from tests.support.waiting import until


class ViewApp(App[None]):
    def __init__(self, buffer: ScreenBuffer) -> None:
        super().__init__()
        self.buffer = buffer
        self.received: list = []

    def compose(self):
        yield TerminalView(self.buffer)

    def on_mount(self) -> None:
        self.query_one(TerminalView).focus()

    def on_terminal_view_input(self, message: TerminalView.Input) -> None:
        self.received.append(message.data)

    def on_terminal_view_leave_requested(self, message: TerminalView.LeaveRequested) -> None:
        self.received.append("leave")

    def on_terminal_view_resized(self, message: TerminalView.Resized) -> None:
        self.received.append(("size", message.cols, message.rows))


def run(buffer, scenario, size=(40, 10)):
    app = ViewApp(buffer)

    async def main():
        async with app.run_test(size=size) as pilot:
            await scenario(pilot, app, app.query_one(TerminalView))

    asyncio.run(main())


def test_widget_size_becomes_the_terminal_size():
    buffer = ScreenBuffer(80, 24)

    async def scenario(pilot, app, view):
        await until(lambda: ("size", 40, 10) in app.received, message="a Resized message")
        assert buffer.size == (40, 10)

    run(buffer, scenario)


def test_colours_and_cursor_are_drawn():
    buffer = ScreenBuffer(80, 24)
    buffer.feed(b"\x1b[1;31mred\x1b[0m \x1b[38;2;0;128;255mblue\x1b[0m")

    async def scenario(pilot, app, view):
        await pilot.pause()
        strip = view.render_line(0)
        assert strip.text.startswith("red blue")
        styles = {seg.text: seg.style for seg in strip if seg.text.strip()}
        assert styles["red"].bold and styles["red"].color.number == 1
        assert styles["blue"].color.triplet == (0, 128, 255)
        cursor = [seg for seg in strip if seg.style and seg.style.reverse]
        assert cursor and cursor[0].text == " "  # after "blue", at column 8

    run(buffer, scenario)


def test_keys_become_terminal_bytes_and_ctrl_bracket_leaves():
    buffer = ScreenBuffer(80, 24)

    async def scenario(pilot, app, view):
        await pilot.press("l", "s", "enter", "up", "ctrl+c", "tab", "f5", "ctrl+right_square_bracket")
        await until(lambda: "leave" in app.received, message="the leave request")
        assert app.received[-8:] == [b"l", b"s", b"\r", b"\x1b[A", b"\x03", b"\t", b"\x1b[15~", "leave"]

    run(buffer, scenario)


def test_application_cursor_mode_changes_arrows():
    buffer = ScreenBuffer(80, 24)
    buffer.feed(b"\x1b[?1h")

    async def scenario(pilot, app, view):
        await pilot.press("down")
        await until(lambda: b"\x1bOB" in app.received, message="SS3 arrow")

    run(buffer, scenario)


def test_shift_pageup_scrolls_back_and_typing_returns_to_the_live_screen():
    buffer = ScreenBuffer(80, 24)
    buffer.feed("".join(f"line {i}\r\n" for i in range(100)).encode())

    async def scenario(pilot, app, view):
        await pilot.pause()
        assert view.render_line(0).text.startswith("line 91")
        await pilot.press("shift+pageup")
        assert view.scroll_back == 9
        assert view.render_line(0).text.startswith("line 82")
        await pilot.press("x")
        assert view.scroll_back == 0

    run(buffer, scenario)


def test_paste_is_bracketed_when_the_program_asks():
    buffer = ScreenBuffer(80, 24)
    buffer.feed(b"\x1b[?2004h")

    async def scenario(pilot, app, view):
        view.post_message(events.Paste("echo hi\n"))
        await until(lambda: app.received and app.received[-1] == b"\x1b[200~echo hi\r\x1b[201~",
                    message="a bracketed paste")

    run(buffer, scenario)


def test_output_from_another_thread_is_drawn():
    buffer = ScreenBuffer(80, 24)

    async def scenario(pilot, app, view):
        import threading

        def produce():
            buffer.feed(b"from the socket thread")
            view.notify_output()

        threading.Thread(target=produce).start()
        await until(lambda: view.render_line(0).text.startswith("from the socket thread"), message="the text")

    run(buffer, scenario)
