"""What every session kind about one object shares: one tab per object, shown again when asked
again, and a clear line when nothing is selected.

Key decisions: a kind says only how to build its tab (`new_tab`); finding, titling and reusing
tabs happen here once. Open tabs are found by weak reference, so a closed tab is not kept alive
by being findable.
"""

from __future__ import annotations

import weakref
from typing import Any

from kubetui.ui.messages import ActionPerformed


class ObjectTabSessions:
    """A session kind with one tab per object (describe, YAML), working through a `SessionsArea`."""

    VERB = ""   # the tab label's first word: `describe NAME`
    TITLE = ""  # the notice's title when nothing is selected
    NOTHING = ""  # its words

    def __init__(self, area) -> None:
        self.area = area
        self._tabs: weakref.WeakValueDictionary[tuple, Any] = weakref.WeakValueDictionary()

    def request(self, target: tuple[str | None, str] | None, action: str, resource=None) -> None:
        """``target``: (namespace or None, name) of an object of ``resource`` (an `ApiResource`)."""
        if target is None or resource is None:
            self.area.notify(self.NOTHING, title=self.TITLE, severity="warning")
            return
        namespace, name = target
        self.area.app.post_message(ActionPerformed(self.equivalent(resource, namespace, name)))
        key = (resource.resource_text, namespace, name)
        tab = self._tabs.get(key)
        if tab is not None and self.area.show_session(tab):
            return
        where = f" in {namespace}" if namespace and resource.namespaced else ""
        tab = self.new_tab(f"{resource.kind_text}/{name}{where}", resource, namespace, name)
        self._tabs[key] = tab
        self.area.open_session(f"{self.VERB} {name}", tab)

    def new_tab(self, title: str, resource, namespace: str | None, name: str):
        raise NotImplementedError

    def equivalent(self, resource, namespace: str | None, name: str) -> Any:
        """The kubectl request the tab shows the answer of."""
        raise NotImplementedError
