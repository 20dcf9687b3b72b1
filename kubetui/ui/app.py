"""The Textual application: the connection, the clock, the one error route, help and the palette.

Key decisions: the app owns what every component shares and nothing else: the current
`Connection` (a context switch replaces it), `readonly`, `now()` (one injectable clock, so
tests fix time) and `report_error`, the one place an error becomes something the user sees: a
`KubetuiError` with its own title, anything else as "internal error" with its traceback in a log
file, never on screen. The workspace screen is its default screen; quitting stops the views'
streams first so their threads end promptly. `?` and the command palette list what is bound
where the focus is, read from the active bindings. Every action done with keys reports the kubectl
command it corresponds to (`ActionPerformed`); the app writes the line (`-n` and `--context`
only where kubectl would need them) for the status line, and ctrl+y copies the last one.
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import Notify
from textual.screen import Screen
from textual.signal import Signal

from kubetui.errors import KubetuiError
from kubetui.kube.contexts import Connection
from kubetui.ui.error_log import ErrorLog
from kubetui.ui.messages import ActionPerformed
from kubetui.ui.port_forwards import PortForwards
from kubetui.ui.screens.help import HelpScreen, focused_actions, help_rows
from kubetui.ui.widgets.remote_keys import takes_every_key
from kubetui.ui.workspace import WorkspaceScreen

# In an exec terminal every key but ctrl+] belongs to the remote side, so these app keys
# (ctrl+c/ctrl+q quit, ctrl+p command palette, q, ?, ctrl+y: readline's yank) stand aside while a
# terminal has the focus.
_TERMINAL_KEEPS_KEYS_FROM = {"quit", "command_palette", "help_quit", "help", "copy_kubectl"}


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class KubetuiApp(App[None]):
    """kubetui's app. It owns the connection; screens ask it for cluster access."""

    CSS_PATH = "app.tcss"
    TITLE = "kubetui"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+y", "copy_kubectl", "Copy the last kubectl equivalent", show=False),
    ]

    def __init__(self, connection: Connection, *, readonly: bool = False, all_namespaces: bool = False,
                 manifests_dir: Path | None = None, clock: Callable[[], datetime] | None = None,
                 log_path: Path | None = None, first_list=None) -> None:
        super().__init__()
        # Exec sessions parse output on their own threads. With CPython's default 5 ms switch
        # interval the UI loop, which gives up the GIL at every select(), waits up to 5 ms each
        # time it wants it back; 1 ms keeps keys snappy during a flood (bench/bench_exec.py).
        sys.setswitchinterval(0.001)
        self.connection = connection
        self.readonly = readonly
        self.all_namespaces = all_namespaces
        self.manifests_dir = manifests_dir or Path.cwd()  # what the apply dock browses
        self.now: Callable[[], datetime] = clock or utc_now
        self.error_log = ErrorLog(log_path)
        self.port_forwards = PortForwards()  # they outlive the views that started them
        self.status_changed: Signal[tuple[str, str]] = Signal(self, "status-changed")
        self.kubectl_changed: Signal[str] = Signal(self, "kubectl-changed")
        self.last_kubectl = ""  # the kubectl line of the last action done with keys
        self._log_handler: logging.Handler | None = None
        self._first_list = first_list or self.start_first_list()

    # -- what the components share ---------------------------------------------------------------
    def start_first_list(self):
        """Start listing pods now, overlapping Textual's start-up (see kube/first_list.py)."""
        from kubetui.kube.first_list import start_first_list

        return start_first_list(self.connection, self.all_namespaces)

    def take_first_list(self):
        """The pod list started with the app; the first watch takes it, once."""
        first, self._first_list = self._first_list, None
        return first

    def replace_connection(self, connection: Connection) -> None:
        """Switch to another context's connection (`kubectl config use-context`, when it is another
        context); the old one is closed."""
        old, self.connection = self.connection, connection
        old.close()
        if connection.context != old.context:
            from kubetui.model.kubectl_equivalent import use_context

            self.post_message(ActionPerformed(use_context(connection.context)))

    def report_error(self, error: BaseException) -> str:
        """The one error route. Returns the line the user was shown (for a widget to repeat)."""
        if isinstance(error, KubetuiError):
            self.notify(error.message, title=error.title or "Error", severity="error", timeout=8, markup=False)
            return error.message
        try:
            path = self.error_log.write_exception(error)
            line = f"internal error — details in {path}"
        except OSError as exc:
            line = f"internal error ({type(error).__name__}); the log file could not be written: {exc.strerror}"
        self.notify(line, title="Internal error", severity="error", timeout=15, markup=False)
        return line

    def on_notify(self, event: Notify) -> None:
        notification = event.notification
        text = f"{notification.title}: {notification.message}" if notification.title else notification.message
        self.status_changed.publish((text, notification.severity))

    def on_action_performed(self, message: ActionPerformed) -> None:
        from kubetui.model.kubectl_equivalent import command_line

        self.last_kubectl = command_line(message.request, self.connection.kubectl_where())
        self.kubectl_changed.publish(self.last_kubectl)

    # -- keys ------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in _TERMINAL_KEEPS_KEYS_FROM and takes_every_key(self.focused):
            return False
        return super().check_action(action, parameters)

    def action_copy_kubectl(self) -> None:
        """ctrl+y: the last kubectl equivalent to the terminal's clipboard (OSC 52)."""
        if not self.last_kubectl:
            self.notify("no kubectl command yet: act with a key (l, s, d, ...) and its command shows below",
                        severity="warning", markup=False)
            return
        self.copy_to_clipboard(self.last_kubectl)
        self.notify(f"copied: {self.last_kubectl}", markup=False)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(help_rows(self.screen)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for found in focused_actions(screen):
            if found.node is self and found.action in ("quit", "help"):
                continue  # the palette's own Quit and Keys cover them
            yield SystemCommand(found.description, f"key {found.key_text}",
                                partial(self.run_action, found.action, found.node))

    def get_default_screen(self) -> Screen:
        return WorkspaceScreen(all_namespaces=self.all_namespaces)

    # -- life ------------------------------------------------------------------------------------
    def on_mount(self) -> None:
        # What kube/ logs (a watch's unexpected error, say) goes to the same file as our own.
        self._log_handler = self.error_log.handler()
        logging.getLogger("kubetui.kube").addHandler(self._log_handler)

    def on_unmount(self) -> None:
        if self._log_handler is not None:
            logging.getLogger("kubetui.kube").removeHandler(self._log_handler)

    async def action_quit(self) -> None:
        self.port_forwards.stop_all()
        for screen in self.screen_stack:
            if isinstance(screen, WorkspaceScreen):
                screen.stop()
        self.exit()
