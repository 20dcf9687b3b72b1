"""A small app around the sessions area, so exec tabs are tested on their own against the cluster.

It has what the workspace gives the area: a `SessionsArea` whose first pane holds a stand-in
for the pod table (it asks for exec sessions on one fixed pod with `s`, `e` and `Enter`, as the
pods view does), the area's screen keys passed on to it, and an app with the `connection`,
`readonly` and error route of `KubetuiApp`.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static, TabPane

from kubetui.model.kubectl_equivalent import Where
from kubetui.ui import app as app_module
from kubetui.ui.app import KubetuiApp
from kubetui.ui.sessions import SCREEN_BINDINGS, SESSION_KINDS, VIEWS_PANE, SessionsArea
from kubetui.ui.views.view import ResourceView
from kubetui.ui.widgets.exec_tab import ExecTab
from kubetui.ui.widgets.key_bar import KeyBar


class Dashboard(Static, can_focus=True):
    BINDINGS = [
        Binding("s", "session('shell')", "Shell"),
        Binding("enter", "session('containers')", "Containers"),
        Binding("e", "session('command')", "Exec command"),
    ]

    def __init__(self, cursor_key: str) -> None:
        super().__init__("the pod table", id="dash")
        self.cursor_key = cursor_key

    def action_session(self, action: str) -> None:
        self.post_message(ResourceView.SessionRequested("exec", tuple(self.cursor_key.split("/", 1)), action))


class HarnessScreen(Screen):
    BINDINGS = SCREEN_BINDINGS

    def __init__(self, cursor_key: str) -> None:
        super().__init__()
        self.cursor_key = cursor_key

    @property
    def sessions(self) -> SessionsArea:
        return self.query_one(SessionsArea)

    def compose(self) -> ComposeResult:
        with SessionsArea(SESSION_KINDS, id="tabs"):
            with TabPane("Pods", id=VIEWS_PANE):
                yield Dashboard(self.cursor_key)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#dash").focus()

    def on_resource_view_session_requested(self, message: ResourceView.SessionRequested) -> None:
        self.sessions.request(message.kind, message.pod, message.action)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "piece":  # as the workspace does: the area decides
            _, name, piece_parameters = parse_action(parameters[1])
            return self.sessions.check_action(name, piece_parameters)
        return super().check_action(action, parameters)

    async def action_piece(self, _name: str, action: str) -> None:
        await self.sessions.run_action(action)


class HarnessApp(KubetuiApp):
    CSS_PATH = str(Path(app_module.__file__).with_name(KubetuiApp.CSS_PATH))  # relative paths follow the subclass

    def __init__(self, api_client, cursor_key: str, readonly: bool = False) -> None:
        # a connection of the context kubectl uses, as far as the app's kubectl lines go
        super().__init__(SimpleNamespace(api_client=api_client, close=lambda: None, kubectl_where=Where),
                         readonly=readonly)
        self.cursor_key = cursor_key

    def start_first_list(self):
        return None  # no pod table here

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
