"""Sessions beside the views: the area that hosts them, and their kinds by name.

Key decisions: adding a kind of session (describe, logs, YAML) is one module with a class taking
the `SessionsArea` and answering `request(pod, action)` (and `request(target, action, resource)`
for kinds that take any object), and one line here; views ask for a kind by name
(`ResourceView.SessionRequested`) and the workspace passes the request on. A kind is named by
where its class lives and loaded when first asked for: the terminal emulator, the log pager and
the describers stay off the app's start-up path until a session needs them.
"""

from __future__ import annotations

from kubetui.ui.sessions import area
from kubetui.ui.sessions.area import VIEWS_PANE, SessionsArea

SESSION_KINDS: dict[str, str] = {
    "exec": "kubetui.ui.sessions.exec:ExecSessions",
    "describe": "kubetui.ui.sessions.describe:DescribeSessions",
    "yaml": "kubetui.ui.sessions.yaml:YamlSessions",
    "logs": "kubetui.ui.sessions.logs:LogSessions",
    "result": "kubetui.ui.command_line.results:ResultSessions",  # what a command typed on `:` printed
}

SCREEN_BINDINGS = area.SCREEN_BINDINGS

__all__ = ["SCREEN_BINDINGS", "SESSION_KINDS", "SessionsArea", "VIEWS_PANE"]
