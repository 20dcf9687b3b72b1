"""`ExecTab`: one exec session in a tab: a status line and the terminal, from connect to exit.

Key decisions: the session starts only once the terminal knows its size (its first `Resized`),
so the remote side gets the right size before its first byte. The session object comes from a
factory the screen hands in (the screen decides how kubetui reaches the cluster; this widget
never imports the client). Session callbacks arrive on the socket thread and are turned into
messages here. When the session ends the output stays, with why it ended (the exit code, or
what happened to the container: `pod web was deleted`); Enter asks to close the tab, r
reconnects in place (same terminal, same size).
"""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from kubetui.model import kubectl_equivalent as kubectl
from kubetui.terminal import ScreenBuffer
from kubetui.ui.messages import ActionPerformed
from kubetui.ui.widgets.terminal_view import TerminalView

HINT = "ctrl+] tab bar · shift+PgUp scrollback"


class ExecTab(Vertical):
    DEFAULT_CSS = """
    ExecTab { height: 1fr; }
    ExecTab > .exec-status { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    ExecTab > .exec-status.-ended { color: $warning; }
    ExecTab > .exec-status.-failed { color: $error; }
    """
    HAS_FULL_TERMINAL = True  # `f` gives its terminal the whole screen (ui/full_terminal.py)

    class CloseRequested(Message):
        def __init__(self, tab: "ExecTab") -> None:
            super().__init__()
            self.tab = tab

    class LeaveRequested(Message):
        """ctrl+] in the terminal: focus should go to the tab bar."""

    class _Started(Message):
        def __init__(self, command: tuple, replaced: tuple | None) -> None:
            super().__init__()
            self.command, self.replaced = command, replaced

    class _Ended(Message):
        def __init__(self, end) -> None:
            super().__init__()
            self.end = end

    def __init__(self, target, session_factory: Callable, *, scrollback: int = 10_000,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.target = target
        self.session_factory = session_factory
        self.buffer = ScreenBuffer(80, 24, scrollback)
        self.view = TerminalView(self.buffer)
        self.session = None
        self.ended = None  # the SessionEnd once over
        self._terminal_size: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"{self.target.title} · connecting…", classes="exec-status")
        yield self.view

    @property
    def status_text(self) -> str:
        return str(self.query_one(".exec-status", Static).render())

    def _status(self, text: str, kind: str = "") -> None:
        status = self.query_one(".exec-status", Static)
        status.update(text)
        status.set_class(kind == "ended", "-ended")
        status.set_class(kind == "failed", "-failed")

    # --- session lifecycle --- #

    def on_terminal_view_resized(self, message: TerminalView.Resized) -> None:
        message.stop()
        self._terminal_size = (message.cols, message.rows)
        if self.session is None and self.ended is None:
            self._connect()
        elif self.session is not None:
            self.session.resize(message.cols, message.rows)

    def _connect(self) -> None:
        self.ended = None
        self.view.ended = False
        self._status(f"{self.target.title} · connecting…")
        self.session = self.session_factory(
            self.target,
            self.buffer,
            size=self._terminal_size or self.buffer.size,
            on_output=self.view.notify_output,
            on_started=lambda command, replaced: self.post_message(self._Started(command, replaced)),
            on_ended=lambda end: self.post_message(self._Ended(end)),
        )
        self.session.start()

    def on_exec_tab__started(self, message: _Started) -> None:
        message.stop()
        target = self.target  # the command that started, not the shell tried first: `-- /bin/sh`
        self.app.post_message(ActionPerformed(kubectl.exec_in(target.namespace, target.pod, target.container,
                                                          message.command, tty=target.tty, stdin=True)))
        command = " ".join(message.command)
        if message.replaced:
            missing = " ".join(message.replaced)
            self.buffer.feed_text(f"\x1b[2m[kubetui] {missing} is not in this container; running {command}\x1b[0m\r\n")
            self.view.redraw_changes()
            self._status(f"{self.target.title} · {command} ({missing} not found) · {HINT}")
        else:
            self._status(f"{self.target.title} · {command} · {HINT}")

    def on_exec_tab__ended(self, message: _Ended) -> None:
        message.stop()
        end = message.end
        if end.closed_by_user:
            return
        self.ended = end
        self.session = None
        self.view.ended = True
        if end.cause is not None:  # the container stopped or the pod went: say that, not 137
            text = f"{end.cause} — {'Enter closes' if end.pod_gone else 'Enter closes, r reconnects'}"
            kind = "ended"
        elif end.error is not None:
            text = f"{end.error.title}: {end.error.message} — Enter closes, r reconnects"
            kind = "failed"
        else:
            code = "unknown" if end.exit_code is None else end.exit_code
            text = f"exited with code {code} — Enter closes, r reconnects"
            kind = "ended"
        colour = "31" if kind == "failed" else "33"
        self.buffer.feed_text(f"\x1b[0m\r\n\x1b[{colour}m[{text}]\x1b[0m")
        self.view.redraw_changes()
        self._status(f"{self.target.title} · {text}", kind)

    def on_terminal_view_key_after_end(self, message: TerminalView.KeyAfterEnd) -> None:
        message.stop()
        if message.key == "enter":
            self.post_message(self.CloseRequested(self))
        elif message.key == "r":
            self.buffer.feed_text("\r\n")
            self._connect()

    def on_terminal_view_input(self, message: TerminalView.Input) -> None:
        message.stop()
        if self.session is not None:
            self.session.send(message.data)

    def on_terminal_view_leave_requested(self, message: TerminalView.LeaveRequested) -> None:
        message.stop()
        self.post_message(self.LeaveRequested())

    def close_session(self) -> None:
        """Hang up (the tab is going away); returns at once, the thread ends within a second."""
        if self.session is not None:
            self.session.close()
            self.session = None

    def on_unmount(self) -> None:
        self.close_session()
