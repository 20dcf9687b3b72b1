"""Describe sessions: `d` on a row opens a tab with what `kubectl describe` prints for it, live.

Key decisions: the text is `kube.inspecting.describe_text` (the describers of `kubetui
describe`), read with the app's connection of the moment in the tab's worker every two seconds,
so new events and state changes appear while the reader scrolls; `d` again on an object already
open shows its tab instead of opening another.
"""

from __future__ import annotations

from kubetui.ui.widgets.inspect_tab import InspectTab, Page


class DescribeSessions:
    """The describe kind of session, working for (and through) a `SessionsArea`."""

    def __init__(self, area) -> None:
        self.area = area
        self._tabs: dict[tuple, InspectTab] = {}

    def request(self, target: tuple[str | None, str] | None, action: str, resource=None) -> None:
        """``target``: (namespace or None, name) of an object of ``resource`` (an `ApiResource`)."""
        if target is None or resource is None:
            self.area.notify("nothing is selected to describe", title="Describe", severity="warning")
            return
        namespace, name = target
        key = (resource.resource_text, namespace, name)
        tab = self._tabs.get(key)
        if tab is not None and self.area.show_session(tab):
            return
        app = self.area.app

        def fetch() -> Page:
            from kubetui.kube.inspecting import describe_text

            conn = app.connection
            return Page(describe_text(conn.api_client, conn.server, resource, namespace, name, now=app.now()))

        where = f" in {namespace}" if namespace and resource.namespaced else ""
        tab = self._tabs[key] = InspectTab(f"{resource.kind_text}/{name}{where}", "describe", fetch)
        self.area.open_session(f"describe {name}", tab)
