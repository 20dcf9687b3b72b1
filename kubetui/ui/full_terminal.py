"""Full-terminal mode: suspend the TUI and bridge the real terminal to an exec session.

For programs that want the whole real terminal (a big `vim`, mouse modes, true-colour
tests). `App.suspend()` gives the terminal back; we put it in raw mode, point the session's
output at the real stdout instead of the tab's screen buffer, send the real size, and copy
keystrokes to the session until it ends or the user presses ctrl+] (the same key that leaves
a terminal tab). Then the terminal is restored, the session goes back to its tab (same size
as before, so the remote program redraws) and the TUI resumes.
"""

from __future__ import annotations

import os
import select
import sys
import termios
import tty

from kubetui.errors import KubetuiError

ESCAPE_BYTE = b"\x1d"  # ctrl+]


class _RawStdout:
    """A sink writing the session's output straight to the real terminal."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def feed(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]

    def take_replies(self) -> bytes:
        return b""  # the real terminal answers queries itself, through stdin


def run_full_terminal(app, tab) -> None:
    session = tab.session
    if session is None:
        app.notify("the session has ended: press r in the tab to reconnect", title="Full terminal")
        return
    try:
        suspended = app.suspend()
        suspended.__enter__()
    except Exception as exc:  # SuspendNotSupported (no real terminal), ...
        app.report_error(KubetuiError(f"full-terminal mode needs a real terminal: {exc}", "Full terminal"))
        return
    try:
        _bridge(session, tab.target.title)
    finally:
        suspended.__exit__(None, None, None)
        cols, rows = tab.buffer.size
        session.resize(cols, rows)
        tab.view.focus()
        # Resuming redraws the app and can hand focus back to the tab bar, where `f` was pressed;
        # focus again after that redraw, and only then say we are back, so that whatever the
        # user types once the line shows reaches the session.
        app.call_after_refresh(_back_in_tab, tab)


def _back_in_tab(tab) -> None:
    tab.view.focus()
    tab.buffer.feed_text("\x1b[0m\r\n\x1b[2m[kubetui] back from full-terminal mode\x1b[0m\r\n")
    tab.view.refresh()


def _bridge(session, title: str) -> None:
    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    saved = termios.tcgetattr(stdin)
    previous_sink = session.sink
    os.write(stdout, f"\r\n[kubetui] {title} in full-terminal mode: ctrl+] returns to kubetui\r\n".encode())
    size = None
    try:
        tty.setraw(stdin)
        session.sink = _RawStdout(stdout)
        while session.ended is None:
            now = os.get_terminal_size(stdout)
            if now != size:
                size = now
                session.resize(now.columns, now.lines)
            ready, _, _ = select.select([stdin], [], [], 0.2)
            if not ready:
                continue
            data = os.read(stdin, 4096)
            if not data:
                break
            if ESCAPE_BYTE in data:
                session.send(data.split(ESCAPE_BYTE, 1)[0])
                break
            session.send(data)
    finally:
        session.sink = previous_sink
        termios.tcsetattr(stdin, termios.TCSADRAIN, saved)
