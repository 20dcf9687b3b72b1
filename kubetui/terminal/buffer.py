"""`ScreenBuffer`: the terminal emulator's whole public face, safe to share between two threads.

One thread (the exec session's socket thread) calls `feed(bytes)`; the UI thread reads lines,
the cursor and the rows that changed. Every method takes the same lock, and `feed` parses in
slices of `FEED_SLICE` bytes so the UI never waits on the lock for more than a few
milliseconds, even in a flood. Bytes are decoded with an incremental UTF-8 decoder, so a
character split across two network frames is drawn once, whole.
"""

from __future__ import annotations

import codecs
import threading
from typing import NamedTuple

from kubetui.terminal.lines import plain_frozen, render_frozen
from kubetui.terminal.parser import Parser
from kubetui.terminal.screen import Screen

FEED_SLICE = 16384
DEFAULT_SCROLLBACK = 10_000


class Cursor(NamedTuple):
    x: int
    y: int
    visible: bool


class Modes(NamedTuple):
    """What the key encoder and the view need to know about the remote program's wishes."""

    app_cursor: bool
    app_keypad: bool
    bracketed_paste: bool
    mouse_tracking: int
    mouse_sgr: bool
    alternate: bool


class ScreenBuffer:
    def __init__(self, cols: int = 80, rows: int = 24, scrollback: int = DEFAULT_SCROLLBACK) -> None:
        self._lock = threading.Lock()
        self._screen = Screen(cols, rows, scrollback)
        self._parser = Parser(self._screen)
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._fed = 0  # bytes parsed since the last take_dirty()

    # --- writing (any thread) --- #

    def feed(self, data: bytes) -> None:
        """Parse output from the remote side."""
        decode = self._decoder.decode
        for start in range(0, len(data), FEED_SLICE):
            with self._lock:
                self._parser.feed(decode(data[start:start + FEED_SLICE]))
                self._fed += min(FEED_SLICE, len(data) - start)

    def feed_text(self, text: str) -> None:
        """Parse already-decoded output (messages kubetui itself writes into the terminal)."""
        with self._lock:
            self._parser.feed(text)

    def resize(self, cols: int, rows: int) -> bool:
        """Change the size; False when it was already that size."""
        with self._lock:
            if (cols, rows) == (self._screen.cols, self._screen.rows):
                return False
            self._screen.resize(cols, rows)
            return True

    def take_replies(self) -> bytes:
        """Answers the terminal owes the remote program (cursor position reports, device attributes)."""
        with self._lock:
            replies, self._screen.replies = self._screen.replies, []
        return b"".join(replies)

    # --- reading (the UI thread) --- #

    @property
    def size(self) -> tuple[int, int]:
        screen = self._screen
        return screen.cols, screen.rows

    @property
    def fed_since_redraw(self) -> int:
        """Bytes parsed since the last `take_dirty()`: a few is an echo, many a flood."""
        return self._fed

    def take_dirty(self) -> set[int] | None:
        """Rows of the screen changed since the last call; None means all of them."""
        with self._lock:
            self._fed = 0
            screen = self._screen
            if screen.all_dirty:
                screen.all_dirty = False
                screen.dirty = set()
                return None
            dirty, screen.dirty = screen.dirty, set()
            return dirty

    def line_runs(self, row: int, scroll: int = 0) -> list:
        """[(text, CellStyle)] of visible row `row` when the view is `scroll` lines back in history."""
        with self._lock:
            screen = self._screen
            if scroll and screen.main_lines is None:
                history = screen.scrollback
                scroll = min(scroll, len(history))
                if row < scroll:
                    return render_frozen(history[len(history) - scroll + row], screen.cols)
                row -= scroll
            if 0 <= row < screen.rows:
                return screen.lines[row].render(screen.cols)
            return []

    @property
    def cursor(self) -> Cursor:
        with self._lock:
            screen = self._screen
            return Cursor(screen.x, screen.y, screen.cursor_visible)

    @property
    def modes(self) -> Modes:
        screen = self._screen
        return Modes(screen.app_cursor, screen.app_keypad, screen.bracketed_paste, screen.mouse_tracking,
                     screen.mouse_sgr, screen.main_lines is not None)

    @property
    def history_size(self) -> int:
        """Lines the view can scroll back (none while a full-screen program has the alternate screen)."""
        with self._lock:
            return 0 if self._screen.main_lines is not None else len(self._screen.scrollback)

    @property
    def scrolled_off(self) -> int:
        """Lines ever pushed into history: a view scrolled back adds the increase to stay put."""
        return self._screen.scrolled_off

    @property
    def title(self) -> str:
        return self._screen.title

    def display(self) -> list[str]:
        """The visible rows as plain text, trailing blanks removed (tests, copying)."""
        with self._lock:
            return [line.plain(self._screen.cols) for line in self._screen.lines]

    def history(self) -> list[str]:
        with self._lock:
            return [plain_frozen(entry) for entry in self._screen.scrollback]
