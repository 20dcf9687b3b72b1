"""The Textual application: wiring only. Screens and widgets do the showing; `kube/` does the I/O.

Key decision: the app owns the current `Connection` (a context switch replaces it) and the pods
screen is its default screen; quitting stops the pod watch first so its thread ends promptly.
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from kubetui.kube.contexts import Connection
from kubetui.ui.screens.pods import PodsScreen
from kubetui.ui.widgets.terminal_view import TerminalView  # issue #6

# issue #6: in an exec terminal every key but ctrl+] belongs to the remote side, so these app keys
# (ctrl+c/ctrl+q quit, ctrl+p command palette, q) stand aside while a terminal has the focus.
_TERMINAL_KEEPS_KEYS_FROM = {"quit", "command_palette", "help_quit"}


class KubetuiApp(App[None]):
    """kubetui's app. It owns the connection; screens ask it for cluster access."""

    CSS_PATH = "app.tcss"
    TITLE = "kubetui"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, connection: Connection, *, readonly: bool = False, all_namespaces: bool = False,
                 manifests_dir: Path | None = None) -> None:
        super().__init__()
        # issue #6: exec sessions parse output on their own threads. With CPython's default 5 ms
        # switch interval the UI loop, which gives up the GIL at every select(), waits up to 5 ms
        # each time it wants it back; 1 ms keeps keys snappy during a flood (bench/bench_exec.py).
        sys.setswitchinterval(0.001)
        self.connection = connection
        self.readonly = readonly
        self.all_namespaces = all_namespaces
        self.manifests_dir = manifests_dir or Path.cwd()  # issue #7: what the apply panel browses
        self._first_list = _start_first_list(connection, all_namespaces)

    def take_first_list(self):
        """The pod list started with the app (see kube/first_list.py); the first watch takes it."""
        first, self._first_list = self._first_list, None
        return first

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in _TERMINAL_KEEPS_KEYS_FROM and isinstance(self.focused, TerminalView):  # issue #6
            return False
        return super().check_action(action, parameters)

    def get_default_screen(self) -> Screen:
        return PodsScreen(all_namespaces=self.all_namespaces)

    async def action_quit(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, PodsScreen):
                screen.stop_watching()
        self.exit()


def _start_first_list(connection: Connection, all_namespaces: bool):
    from kubetui.kube.first_list import FirstList
    from kubetui.model import display_fields

    return FirstList(connection.api_client, None if all_namespaces else connection.namespace,
                     project=display_fields)
