"""Describe sessions: `d` on a row opens a tab with what `kubectl describe` prints for it, live.

Key decisions: the text is `kube.inspecting.describe_text` (the describers of `kubetui
describe`), read with the app's connection of the moment in the tab's worker every two seconds,
so new events and state changes appear while the reader scrolls; `d` again on an object already
open shows its tab instead of opening another.
"""

from __future__ import annotations

from kubetui.model import kubectl_equivalent as kubectl
from kubetui.ui.sessions.object_tabs import ObjectTabSessions
from kubetui.ui.widgets.inspect_tab import InspectTab, Page


class DescribeSessions(ObjectTabSessions):
    """The describe kind of session, working for (and through) a `SessionsArea`."""

    VERB, TITLE, NOTHING = "describe", "Describe", "nothing is selected to describe"

    def equivalent(self, resource, namespace: str | None, name: str):
        return kubectl.describe(resource, namespace, name)

    def new_tab(self, title: str, resource, namespace: str | None, name: str) -> InspectTab:
        app = self.area.app

        def fetch() -> Page:
            from kubetui.kube.inspecting import describe_text

            conn = app.connection
            return Page(describe_text(conn.api_client, conn.server, resource, namespace, name, now=app.now()))

        return InspectTab(title, "describe", fetch)
