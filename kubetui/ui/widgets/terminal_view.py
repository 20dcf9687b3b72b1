"""`TerminalView`: draws a `ScreenBuffer` with the Line API and turns keys into terminal bytes.

Key decisions:
- Parsing happens off the UI loop (the session's socket thread feeds the buffer); this widget
  only reads lines. `notify_output()` may be called from any thread; it posts at most one
  `OutputArrived` at a time, and the handler refreshes only the rows the buffer reports dirty,
  so a flood costs at most 30 partial redraws a second, never a backlog of messages; a few
  bytes (the echo of a key, a prompt) are painted at once.
- Every key goes to the remote side except `ctrl+]` (telnet's escape: leaves the terminal for
  the tab bar, the session keeps running) and shift+PgUp/PgDn (scrollback). The app must not
  grab ctrl+c/ctrl+p/ctrl+q while a terminal has focus (see `KubetuiApp.check_action`).
- Widgets never talk to the cluster: bytes and sizes leave as messages (`Input`, `Resized`).
"""

from __future__ import annotations

from time import monotonic

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from kubetui.terminal import ScreenBuffer
from kubetui.terminal.keys import encode_key, encode_paste, encode_wheel
from kubetui.ui.widgets.terminal_styles import cursor_style, rich_style

LEAVE_KEY = "ctrl+right_square_bracket"
WHEEL_LINES = 3
FLOOD_FRAME_SECONDS = 1 / 30  # redraw rate while output streams: parsing gets the CPU, not painting
ECHO_BYTES = 2048  # output this small since the last redraw is an echo or a prompt: paint at once
MIN_PAINT_NOW_GAP_SECONDS = 0.008  # but a spinner printing tiny bits does not repaint at will


class TerminalView(Widget, can_focus=True):
    DEFAULT_CSS = """
    TerminalView { height: 1fr; width: 1fr; background: $background; color: $foreground; }
    """
    TAKES_EVERY_KEY = True  # see widgets/remote_keys.py
    # Shown in the footer; on_key handles the key itself (every other key goes to the remote side).
    BINDINGS = [Binding(LEAVE_KEY, "leave_terminal", "Tab bar (session keeps running)")]

    class Input(Message):
        """Bytes for the remote side (keys, pastes, wheel reports)."""

        def __init__(self, data: bytes) -> None:
            super().__init__()
            self.data = data

    class Resized(Message):
        def __init__(self, cols: int, rows: int) -> None:
            super().__init__()
            self.cols, self.rows = cols, rows

    class LeaveRequested(Message):
        """ctrl+] : the user wants the tab bar; the session goes on."""

    class KeyAfterEnd(Message):
        """A key pressed once the session has ended (Enter closes, r reconnects)."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class OutputArrived(Message):
        """Posted from the socket thread; at most one is waiting at any time."""

    def __init__(self, buffer: ScreenBuffer, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.buffer = buffer
        self.ended = False  # once True, keys are no longer sent but reported as KeyAfterEnd
        self.scroll_back = 0  # lines of history shown above the live screen
        self._anchor = 0  # buffer.scrolled_off when scroll_back was last adjusted
        self._output_pending = False
        self._cursor_row = 0
        self._last_redraw = 0.0
        self._last_paint_now = 0.0
        self._redraw_timer = None

    # --- output --- #

    def notify_output(self) -> None:
        """Thread-safe: new output is in the buffer."""
        if not self._output_pending:
            self._output_pending = True
            self.post_message(self.OutputArrived())

    def on_terminal_view_output_arrived(self, message: OutputArrived) -> None:
        message.stop()
        self._output_pending = False
        now = monotonic()
        if self.buffer.fed_since_redraw <= ECHO_BYTES:  # someone typing: draw it now
            if self._redraw_timer is None:
                self._redraw(now, paint_now=now - self._last_paint_now >= MIN_PAINT_NOW_GAP_SECONDS)
            return
        since = now - self._last_redraw
        if since >= FLOOD_FRAME_SECONDS:
            self._redraw(now, paint_now=False)
        elif self._redraw_timer is None:  # a flood: at most one redraw per FLOOD_FRAME_SECONDS
            self._redraw_timer = self.set_timer(FLOOD_FRAME_SECONDS - since, self._timed_redraw)

    def _timed_redraw(self) -> None:
        self._redraw_timer = None
        self._redraw(monotonic(), paint_now=False)

    def _redraw(self, now: float, paint_now: bool) -> None:
        self._last_redraw = now
        self.redraw_changes()
        if paint_now:
            self._last_paint_now = now
            self._paint_now()

    def _paint_now(self) -> None:
        """A small output (the echo of a typed key): paint it now. Textual paints on a
        1/60 s timer, and waiting for its next tick can cost up to 16 ms of a 15 ms echo budget.
        This does what the tick would do, through Textual internals (pinned <9); if a release
        renames them, painting simply waits for the tick again."""
        screen = self.screen
        dirty = getattr(screen, "_dirty_widgets", None)
        tick = getattr(screen, "_on_timer_update", None)
        if isinstance(dirty, set) and callable(tick) and screen.is_current:
            dirty.add(self)  # what the Update message our refresh() posts would do, a hop later
            tick()

    def redraw_changes(self) -> None:
        dirty = self.buffer.take_dirty()
        if self.scroll_back:
            self._follow_history()
            self.refresh()
            return
        cursor_row = self.buffer.cursor.y
        if dirty is None:
            self.refresh()
        else:
            width = self.size.width
            for row in dirty | {cursor_row, self._cursor_row}:
                self.refresh(Region(0, row, width, 1))
        self._cursor_row = cursor_row

    def _follow_history(self) -> None:
        """Keep the scrolled-back view on the same text while new lines push into history."""
        scrolled = self.buffer.scrolled_off
        self.scroll_back = min(self.buffer.history_size, self.scroll_back + scrolled - self._anchor)
        self._anchor = scrolled

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        runs = self.buffer.line_runs(y, self.scroll_back)
        cursor = self.buffer.cursor
        show_cursor = (self.scroll_back == 0 and cursor.visible and cursor.y == y and self.has_focus
                       and not self.ended)
        segments = [Segment(text, base + rich_style(style)) for text, style in runs if text]
        strip = Strip(segments).adjust_cell_length(width, base)
        if show_cursor and cursor.x < width:
            left, cell, right = strip.divide([cursor.x, cursor.x + 1, width])
            cell = cell if cell.cell_length else Strip([Segment(" ", base)])
            strip = Strip.join([left, cell.apply_style(cursor_style()), right])
        return strip

    # --- size --- #

    def on_resize(self, event: events.Resize) -> None:
        size: Size = event.size
        if size.width > 1 and size.height > 0:
            self.buffer.resize(size.width, size.height)
            self.post_message(self.Resized(size.width, size.height))
            self.refresh()

    # --- input --- #

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        key = event.key
        if self.screen.focused is not self:
            # Typed right after ctrl+] and routed here before the focus moved: hand it back to
            # the app, which now sends it where the focus is (q after ctrl+] quits kubetui).
            self.app.post_message(events.Key(key, event.character))
            return
        if key == LEAVE_KEY:
            # Let go of the focus now, not when LeaveRequested is handled: a key typed right
            # after ctrl+] (q, ]) is already queued and must not reach the remote shell.
            self.screen.set_focus(None)
            self.post_message(self.LeaveRequested())
            return
        if key in ("shift+pageup", "shift+pagedown"):
            page = max(1, self.size.height - 1)
            self.scroll_history(page if key == "shift+pageup" else -page)
            return
        if self.ended:
            self.post_message(self.KeyAfterEnd(key))
            return
        data = encode_key(key, event.character, app_cursor=self.buffer.modes.app_cursor)
        if data:
            self.scroll_history(-self.scroll_back)
            self.post_message(self.Input(data))

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        if not self.ended and event.text:
            self.post_message(self.Input(encode_paste(event.text, bracketed=self.buffer.modes.bracketed_paste)))

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._wheel(True, event)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._wheel(False, event)

    def _wheel(self, up: bool, event: events.MouseEvent) -> None:
        modes = self.buffer.modes
        if modes.mouse_tracking and not self.ended:
            self.post_message(self.Input(encode_wheel(up, event.x, event.y, sgr=modes.mouse_sgr)))
        elif modes.alternate and not self.ended:
            # less/vi without mouse reporting: wheel as arrow keys, as most terminals do
            arrow = encode_key("up" if up else "down", app_cursor=modes.app_cursor)
            self.post_message(self.Input(arrow * WHEEL_LINES))
        else:
            self.scroll_history(WHEEL_LINES if up else -WHEEL_LINES)

    def scroll_history(self, lines: int) -> None:
        """Positive: further back into history; the view returns to live output at 0."""
        before = self.scroll_back
        self.scroll_back = max(0, min(self.buffer.history_size, self.scroll_back + lines))
        self._anchor = self.buffer.scrolled_off
        if self.scroll_back != before:
            self.refresh()

    def action_leave_terminal(self) -> None:
        self.post_message(self.LeaveRequested())

    def on_focus(self) -> None:
        self.refresh(Region(0, self.buffer.cursor.y, self.size.width, 1))

    def on_blur(self) -> None:
        self.refresh(Region(0, self.buffer.cursor.y, self.size.width, 1))

