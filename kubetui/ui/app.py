"""The Textual application: wiring only. Screens and widgets do the showing; `kube/` does the I/O.

Key decision: the app owns the current `Connection` (a context switch replaces it) and the pods
screen is its default screen; quitting stops the pod watch first so its thread ends promptly.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from kubetui.kube.contexts import Connection
from kubetui.ui.screens.pods import PodsScreen


class KubetuiApp(App[None]):
    """kubetui's app. It owns the connection; screens ask it for cluster access."""

    CSS_PATH = "app.tcss"
    TITLE = "kubetui"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, connection: Connection, *, readonly: bool = False, all_namespaces: bool = False) -> None:
        super().__init__()
        self.connection = connection
        self.readonly = readonly
        self.all_namespaces = all_namespaces

    def get_default_screen(self) -> Screen:
        return PodsScreen(all_namespaces=self.all_namespaces)

    async def action_quit(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, PodsScreen):
                screen.stop_watching()
        self.exit()
