"""Describe sessions: `d` on a row opens a tab with what `kubectl describe` prints for it, live.

Key decisions: the object and its events are watched (`kube.object_following.ObjectFollow`, on
the app's connection of the moment), so an event posted for the object appears as soon as it is
stored, with no polling; on a change, what else the describer needs is read (`kube.inspecting.
related_now`: nothing more for a pod) and the text laid out by the describers of `kubetui
describe`. The events' ages are laid out again every second from what was read. `d` again on an
object already open shows its tab instead of opening another.
"""

from __future__ import annotations

import importlib
import threading
from datetime import datetime

from kubetui.model import kubectl_equivalent as kubectl
from kubetui.ui.sessions.object_tabs import ObjectTabSessions
from kubetui.ui.widgets.inspect_tab import AGES_SECONDS, InspectTab, Page


class DescribeSessions(ObjectTabSessions):
    """The describe kind of session, working for (and through) a `SessionsArea`."""

    VERB, TITLE, NOTHING = "describe", "Describe", "nothing is selected to describe"

    def equivalent(self, resource, namespace: str | None, name: str):
        return kubectl.describe(resource, namespace, name)

    def new_tab(self, title: str, resource, namespace: str | None, name: str) -> InspectTab:
        conn = self.area.app.connection

        def follow(**callbacks):  # in the tab's worker
            from kubetui.kube.object_following import ObjectFollow
            from kubetui.model.event_search import WITHOUT_EVENTS

            # The describers' code (60-100 ms to import) loads while the first lists are out.
            threading.Thread(target=importlib.import_module, args=("kubetui.model.describe",), daemon=True).start()
            with_events = (resource.group, resource.kind) not in WITHOUT_EVENTS
            return ObjectFollow(conn.api_client, resource, namespace, name, with_events=with_events, **callbacks)

        def read(followed) -> tuple:
            from kubetui.kube.inspecting import related_now

            return followed.obj, related_now(conn.api_client, conn.server, resource, followed.obj, followed.events)

        def page(material: tuple, now: datetime) -> Page:
            from kubetui.kube.inspecting import description

            obj, related = material
            return Page(description(resource, obj, related, now))

        return InspectTab(title, "describe", follow, read, page, ages_every=AGES_SECONDS)
