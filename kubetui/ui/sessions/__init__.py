"""Sessions beside the views: the area that hosts them, and their kinds by name.

Key decision: adding a kind of session (describe, logs, YAML) is one module with a class taking
the `SessionsArea` and answering `request(pod, action)` (and `request(target, action, resource)`
for kinds that take any object), and one line here; views ask for a kind by name
(`ResourceView.SessionRequested`) and the workspace passes the request on.
"""

from __future__ import annotations

from kubetui.ui.sessions import area
from kubetui.ui.sessions.area import VIEWS_PANE, SessionsArea
from kubetui.ui.sessions.describe import DescribeSessions
from kubetui.ui.sessions.exec import ExecSessions
from kubetui.ui.sessions.logs import LogSessions
from kubetui.ui.sessions.yaml import YamlSessions
from kubetui.ui.command_line.results import ResultSessions

SESSION_KINDS: dict[str, type] = {
    "exec": ExecSessions,
    "describe": DescribeSessions,
    "yaml": YamlSessions,
    "logs": LogSessions,
    "result": ResultSessions,  # what a command typed on `:` printed
}

SCREEN_BINDINGS = area.SCREEN_BINDINGS

__all__ = ["SCREEN_BINDINGS", "SESSION_KINDS", "SessionsArea", "VIEWS_PANE"]
