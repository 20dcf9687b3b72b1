"""A small app around `ExecTabsMixin`, so exec tabs are tested on their own against the cluster.

It has what the pods screen gives the mixin: `TabbedContent(id="tabs")` with a "dashboard" pane,
`table.cursor_key` naming the selected pod, and the app's `connection` and `readonly`.
"""

from __future__ import annotations

from types import SimpleNamespace

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static, TabbedContent, TabPane

from kubetui.ui.screens.exec_tabs import ExecTabsMixin
from kubetui.ui.widgets.exec_tab import ExecTab


class Dashboard(Static, can_focus=True):
    pass


class HarnessScreen(ExecTabsMixin):
    def __init__(self, cursor_key: str) -> None:
        super().__init__()
        self.table = SimpleNamespace(cursor_key=cursor_key)

    def compose(self) -> ComposeResult:
        with TabbedContent(id="tabs"):
            with TabPane("Pods", id="dashboard"):
                yield Dashboard("the pod table", id="dash")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#dash").focus()


class HarnessApp(App[None]):
    def __init__(self, api_client, cursor_key: str, readonly: bool = False) -> None:
        super().__init__()
        self.connection = SimpleNamespace(api_client=api_client)
        self.readonly = readonly
        self.cursor_key = cursor_key

    def get_default_screen(self):
        return HarnessScreen(self.cursor_key)


def exec_tabs(app) -> list[ExecTab]:
    return list(app.screen.query(ExecTab))


def terminal_lines(tab: ExecTab) -> list[str]:
    """What the terminal widget draws, one string per row."""
    view = tab.view
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


def terminal_text(tab: ExecTab) -> str:
    return "\n".join(terminal_lines(tab))
