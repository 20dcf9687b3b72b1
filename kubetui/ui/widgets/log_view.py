"""`LogView`: a followed log, drawn with the Line API from a `LogRing`, only the lines on screen.

Key decisions:
- Lines reach the ring on the follower's thread through a `LogFeed` (`feeder()`); they post a
  `LinesQueued` only when the view has redrawn since the last one, and the view redraws at
  most once per `FRAME_SECONDS` (none while it is hidden), so however fast a container prints,
  the UI pays per frame, not per line or per batch, and memory is the ring's bound.
- The widget keeps its own scroll position (a line number and a row within it) rather than a
  Textual virtual size: wrapped lines have heights only known once drawn, and the ring drops
  lines at the front while the user reads. Following, the newest line sits on the bottom row;
  scrolling up stops following and the view stays on the same lines while new ones arrive;
  reaching the end again (or `G`) follows again.
- The rows are laid out lazily, when Textual asks for the first row after a change, so a log
  in a hidden tab costs nothing to draw. A line is rendered once per layout and reused by the
  next one while the settings (width, wrap, search) stay the same.
"""

from __future__ import annotations

from time import monotonic
from typing import Callable

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from kubetui.model.log_ring import LogRing
from kubetui.model.log_search import LogSearch
from kubetui.ui.widgets.log_feed import LogFeed
from kubetui.ui.widgets.log_rows import LineRenderer, RowSettings

FRAME_SECONDS = 1 / 30  # while lines stream, redraw at most this often
WHEEL_ROWS = 3
SIDEWAYS = 8  # columns per ← / →


class LogView(Widget, can_focus=True):
    """See the module docstring. The tab owning it feeds lines and says how to read them."""

    BINDINGS = [
        Binding("j,down", "scroll_rows(1)", "Down", show=False),
        Binding("k,up", "scroll_rows(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("g,home", "oldest", "Oldest line", show=False),
        Binding("G,end", "newest", "Newest line, following", show=False),
        Binding("left", "sideways(-1)", "Scroll left (no wrap)", show=False),
        Binding("right", "sideways(1)", "Scroll right (no wrap)", show=False),
    ]

    COMPONENT_CLASSES = {"log-view--stamp", "log-view--marker", "log-view--match", "log-view--current-match",
                         "log-view--note"}

    DEFAULT_CSS = """
    LogView { height: 1fr; background: $surface; color: $foreground; }
    LogView > .log-view--stamp { color: $text-muted; }
    LogView > .log-view--marker { color: $warning; text-style: bold; }
    LogView > .log-view--match { background: $primary; color: $text; }
    LogView > .log-view--current-match { background: $warning; color: $background; text-style: bold; }
    LogView > .log-view--note { color: $text-muted; text-style: italic; }
    """

    class LinesQueued(Message):
        """Posted from the follower's thread; at most one waits at any time."""

    def __init__(self, ring: LogRing | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.feed = LogFeed(ring if ring is not None else LogRing(), lambda: self.post_message(self.LinesQueued()))
        self.ring = self.feed.ring
        self.follow = True
        self.wrap = False
        self.prefixed = False  # lines start with `[pod/NAME/CONTAINER] `
        self.stamped = False   # lines carry the server's timestamps
        self.search: LogSearch | None = None
        self.current_match: int | None = None
        self.note = ""  # shown when there is no line (connecting, waiting...)
        self.paused_at = 0  # ring.appended when following stopped: the tab says how many came since
        self.redraws = 0
        self._top = 0       # first line shown when not following (also kept up to date when following)
        self._top_row = 0   # its first row shown (wrapped lines)
        self._x = 0
        self._rows: list[Strip] = []
        self._row_lines: list[int | None] = []  # the line number each row shows
        self._layout_dirty = True
        self._rendered: dict[int, list[Strip]] = {}  # line number -> rows, for the current settings
        self._renderer = LineRenderer(self._style)
        self._settings: RowSettings | None = None  # what the rendered lines were rendered with
        self._styles: dict[str, Style] = {}
        self._last_redraw = 0.0
        self._timer = None

    # -- lines in (any thread) ---------------------------------------------------------------------
    def feeder(self) -> Callable[[list[bytes]], None]:
        """A callback for the follower's thread; lines it delivers after the next `reset` are dropped."""
        return self.feed.feeder()

    def on_log_view_lines_queued(self, message: LinesQueued) -> None:
        """New lines. The wake-up stays taken until the redraw they cause, so the follower posts
        at most one a frame; a hidden view takes none until it shows again (`on_show`)."""
        message.stop()
        if not self.is_on_screen:
            return
        with self.feed.lock:
            dropped_past_top = self.ring.first > self._top
        if self.follow or dropped_past_top or len(self._rows) < self.size.height or None in self._row_lines:
            self._schedule_redraw()
        else:  # nothing on screen changes; lines a frame from now wake the view again
            self.set_timer(FRAME_SECONDS, self.feed.rearm)

    def _schedule_redraw(self) -> None:
        since = monotonic() - self._last_redraw
        if since >= FRAME_SECONDS:
            self.redraw()
        elif self._timer is None:
            self._timer = self.set_timer(FRAME_SECONDS - since, self._timed_redraw)

    def _timed_redraw(self) -> None:
        self._timer = None
        self.redraw()

    def redraw(self) -> None:
        """Lay the rows out again and repaint them (at the next frame)."""
        self.feed.rearm()  # lines fed from now on are not in this frame: they wake the view
        self._last_redraw = monotonic()
        self._layout_dirty = True
        self.refresh()

    # -- what the tab changes -----------------------------------------------------------------------
    def reset(self, *, prefixed: bool, stamped: bool) -> None:
        """A new stream: forget every line (and whatever the old stream still sends); follow."""
        self.feed.restart()
        self.prefixed, self.stamped = prefixed, stamped
        self.follow, self.current_match = True, None
        self._settings_changed()

    def clear(self) -> None:
        """Forget the lines shown so far; new ones keep coming."""
        self.paused_at = self.feed.clear()
        self.current_match = None
        self._settings_changed()

    def set_note(self, note: str) -> None:
        if note != self.note:
            self.note = note
            if not len(self.ring):
                self.redraw()

    def set_follow(self, follow: bool) -> None:
        if follow == self.follow:
            return
        self.follow = follow
        if not follow:
            self.paused_at = self.ring.appended
        self.redraw()

    def set_wrap(self, wrap: bool) -> None:
        self.wrap, self._x, self._top_row = wrap, 0, 0
        self._settings_changed()

    def set_search(self, search: LogSearch | None) -> None:
        self.search, self.current_match = search, None
        self._settings_changed()

    def _settings_changed(self) -> None:
        self._forget_rendered()
        self.redraw()

    def _forget_rendered(self) -> None:
        self._rendered.clear()
        self._settings = None

    @property
    def new_since_pause(self) -> int:
        return 0 if self.follow else self.ring.appended - self.paused_at

    def lines_shown(self) -> list[int]:
        """Numbers of the lines on screen, top to bottom (for the tab and the tests)."""
        if self._layout_dirty:
            self._lay_out()
        return sorted({number for number in self._row_lines if number is not None})

    def snapshot(self) -> list[bytes]:
        """Every kept line, copied (saving runs on another thread)."""
        return self.feed.snapshot()

    # -- search ----------------------------------------------------------------------------------
    def find(self, forwards: bool, start: int | None = None) -> int | None:
        """Show the next line matching the search below (``forwards``) or above ``start``
        (default: the current match, else the bottom or top line shown). None if there is none."""
        if self.search is None:
            return None
        if start is None:
            shown = self.lines_shown()
            if self.current_match is not None:
                start = self.current_match + (1 if forwards else -1)
            elif shown:
                start = shown[0] if forwards else shown[-1]
            else:
                start = self.ring.appended - 1
        found = self.feed.scan(self.search, start, forwards)
        if found is not None:
            self.show_line(found)
            self.current_match = found
            self._forget_rendered()
        return found

    def show_line(self, number: int) -> None:
        """Scroll (not following) so line ``number`` shows about a third down the view."""
        self.follow, self.paused_at = False, self.ring.appended
        self._top, self._top_row = max(self.ring.first, number - self.size.height // 3), 0
        self.redraw()

    # -- scrolling -------------------------------------------------------------------------------
    def action_scroll_rows(self, rows: int) -> None:
        self.scroll_rows(rows)

    def action_page(self, pages: int) -> None:
        self.scroll_rows(pages * max(1, self.size.height - 1))

    def action_oldest(self) -> None:
        self.follow, self.paused_at = False, self.ring.appended
        self._top, self._top_row = self.ring.first, 0
        self.redraw()

    def action_newest(self) -> None:
        self.set_follow(True)

    def action_sideways(self, steps: int) -> None:
        if not self.wrap:
            self._x = max(0, self._x + steps * SIDEWAYS)
            self._settings_changed()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.scroll_rows(-WHEEL_ROWS)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_rows(WHEEL_ROWS)

    def scroll_rows(self, rows: int) -> None:
        """Move by ``rows`` screen rows; up stops following, down to the end follows again."""
        if self._layout_dirty:
            self._lay_out()  # start from what is on screen now
        if rows > 0 and self.follow:
            return
        if self.follow:
            self.follow, self.paused_at = False, self.ring.appended
        first, end = self.ring.first, self.ring.appended
        top, row = max(self._top, first), self._top_row
        for _ in range(abs(rows)):
            if rows < 0:
                if row > 0:
                    row -= 1
                elif top > first:
                    top -= 1
                    row = len(self._line_rows(top)) - 1
                else:
                    break
            elif row + 1 < len(self._line_rows(top)):
                row += 1
            elif top + 1 < end:
                top, row = top + 1, 0
            else:
                break
        self._top, self._top_row = top, max(0, row)
        if rows > 0 and self._rows_from(top, row, self.size.height + 1) <= self.size.height:
            self.follow = True  # the newest line is on screen: follow again
        self.redraw()

    def _rows_from(self, top: int, row: int, enough: int) -> int:
        """Rows from (top, row) to the end, counting no further than ``enough``."""
        count, number, end = -row, top, self.ring.appended
        while number < end and count < enough:
            count += len(self._line_rows(number))
            number += 1
        return count

    # -- layout and drawing --------------------------------------------------------------------------
    def on_resize(self, _event: events.Resize) -> None:
        self._settings_changed()

    def on_show(self) -> None:
        self.redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._forget_rendered()
        self._layout_dirty = True

    def render_line(self, y: int) -> Strip:
        if self._layout_dirty:
            self._lay_out()
        if y < len(self._rows):
            return self._rows[y]
        return Strip.blank(self.size.width, self.rich_style)

    def _lay_out(self) -> None:
        self._layout_dirty = False
        self.redraws += 1
        width, height = self.size
        rendered, self._rendered = self._rendered, {}
        with self.feed.lock:
            first, end = self.ring.first, self.ring.appended
            if self.follow:
                begin = max(first, end - height)
            else:
                self._top = min(max(self._top, first), max(first, end - 1))
                begin = max(first, self._top - height)
            raw = self.ring.lines(begin, min(end, begin + 2 * height + 1))

        def rows_of(number: int) -> list[Strip]:
            rows = rendered.get(number) or self._rendered.get(number)
            if rows is None:
                rows = self._render(raw[number - begin], number, width)
            self._rendered[number] = rows
            return rows

        laid: list[tuple[int, Strip]] = []
        if not self.follow:  # from the row at the top, down
            number, skip = self._top, self._top_row
            while number < begin + len(raw) and len(laid) < height:
                laid.extend((number, strip) for strip in rows_of(number)[skip:])
                number, skip = number + 1, 0
        if len(laid) < height:  # following, or the end is on screen: the newest line at the bottom
            number = laid[0][0] - 1 if laid else end - 1
            while number >= begin and len(laid) < height:
                laid[:0] = [(number, strip) for strip in rows_of(number)]
                number -= 1
            laid = laid[-height:] if height else []
            if laid:  # the top line may show only its last rows
                top = laid[0][0]
                self._top, self._top_row = top, len(rows_of(top)) - sum(1 for n, _ in laid if n == top)
            else:
                self._top, self._top_row = end, 0
        else:
            laid = laid[:height]
        self._row_lines = [number for number, _ in laid]
        self._rows = [strip for _, strip in laid]
        if not laid and self.note and height:
            self._rows = [Strip([Segment(self.note, self._style("note"))]).adjust_cell_length(width, self.rich_style)]
            self._row_lines = [None]

    def _line_rows(self, number: int) -> list[Strip]:
        rows = self._rendered.get(number)
        if rows is None:
            raw = self.feed.line(number)
            rows = self._rendered[number] = self._render(raw, number, self.size.width) if raw is not None else []
        return rows

    def _render(self, raw: bytes, number: int, width: int) -> list[Strip]:
        settings = self._settings
        if settings is None or settings.width != width:
            settings = self._settings = RowSettings(width, self.wrap, self._x, self.prefixed, self.stamped,
                                                    self.search, self.current_match)
        return self._renderer.rows(raw, number, settings, self.rich_style, self.app.console)

    def _style(self, part: str) -> Style:
        style = self._styles.get(part)
        if style is None:
            style = self._styles[part] = self.get_component_rich_style(f"log-view--{part}", partial=True)
        return style
