"""Resource views by name: the workspace shows one of these in its views tab.

Key decision: adding a view is one module (a `ResourceView` subclass) and one line here; the
workspace builds the view from this table and routes its messages, whatever its kind.
"""

from __future__ import annotations

from kubetui.ui.views.view import ResourceView
from kubetui.ui.views.pods import PodsView

VIEWS: dict[str, type[ResourceView]] = {
    "pods": PodsView,
}

__all__ = ["VIEWS", "ResourceView", "PodsView"]
