"""The served types for the views and the `:` line: `kube.discovering`, one discovery per connection.

Key decision: the `:` line resolves exactly as `kubetui get` (and kubectl) does, through the
same `Discovery` (its disk cache included); this module only keeps one per connection, so
running commands and switching views costs no discovery request after the first.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from kubetui.kube.discovering import Discovery
from kubetui.model.resource_names import ApiResource

__all__ = ["find", "resources"]

_lock = threading.Lock()
_discoveries: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # api client -> Discovery


def _discovery(api_client: Any) -> Discovery:
    with _lock:
        found = _discoveries.get(api_client)
        if found is None:
            host = str(getattr(getattr(api_client, "configuration", None), "host", "") or "")
            found = _discoveries[api_client] = Discovery(api_client, host)
        return found


def find(api_client: Any, group: str, plural: str) -> ApiResource | None:
    """The served type of ``group``/``plural`` (its preferred version), or None; a miss in a
    cached discovery asks the server once more, as `resolve` does."""
    discovery = _discovery(api_client)
    for resources in (discovery.resources, discovery.refresh):
        found = next((r for r in resources() if r.group == group and r.plural == plural), None)
        if found is not None:
            return found
    return None


def resources(api_client: Any, *, fresh: bool = False) -> list[ApiResource]:
    """Every served type in kubectl's priority order (the `:` line's grammar resolves with them);
    ``fresh``: discovery asked again (a type the cached copy lacks may be a new CRD)."""
    discovery = _discovery(api_client)
    return discovery.refresh() if fresh else discovery.resources()
