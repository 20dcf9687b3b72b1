"""Where the resource views live: one root per kind visited with `:`, and a trail opened with Enter.

Key decisions: a root view stays mounted and live after the user leaves it (`:deploy`, then
`:pods` again), so coming back shows current rows at once instead of listing again; the views
opened down the ownership (`Enter`) form a trail above the current root and are removed (their
watches stopped) when `Esc` goes back or `:` switches. The breadcrumb is the trail itself:
`deploy › sample-deployment › rs › sample-deployment-7f9c › pods`. What a typed name means is
the `:` line's business (`ui.command_line`), which then calls `show_root`; what Enter leads to
comes from the server's discovery (`kube.view_kinds`), read in a guarded worker. Every switch
posts `Switched` for the workspace.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message
from textual.widgets import ContentSwitcher

from kubetui.errors import KubetuiError
from kubetui.ui.views import ResourceView, crumb_label, view_for
from kubetui.ui.workers import guarded

SEPARATOR = " › "
_ids = itertools.count(1)


@dataclass
class Crumb:
    view: ResourceView
    label: str  # the kind as the breadcrumb says it ("deploy", "rs", "pods")
    entered: str = ""  # the object Enter was pressed on, when a view above came from it


class ViewStack(ContentSwitcher):
    """The views: `roots` by key, `trail` from the current root up to the view shown."""

    DEFAULT_CSS = "ViewStack { height: 1fr; }"

    class Switched(Message):
        """Another view is shown (the header follows it)."""

    def __init__(self, root: ResourceView, key: str, label: str, *,
                 on_view: Callable[[ResourceView], None] | None = None, id: str | None = None) -> None:
        root.id = root.id or f"view-{next(_ids)}"
        super().__init__(root, id=id, initial=root.id)
        self.on_view = on_view  # called with each view before it mounts (the workspace listens to it)
        self.roots: dict[str, Crumb] = {key: Crumb(root, label)}
        self.trail: list[Crumb] = [self.roots[key]]

    @property
    def active(self) -> ResourceView:
        return self.trail[-1].view

    @property
    def depth(self) -> int:
        return len(self.trail)

    def breadcrumb(self) -> str:
        parts = []
        for crumb in self.trail:
            parts.append(crumb.label)
            if crumb.entered and crumb is not self.trail[-1]:
                parts.append(crumb.entered)
        return SEPARATOR.join(parts)

    def root(self, key: str) -> ResourceView | None:
        crumb = self.roots.get(key)
        return crumb.view if crumb else None

    def all_views(self) -> list[ResourceView]:
        views = [crumb.view for crumb in self.roots.values()]
        return views + [crumb.view for crumb in self.trail if crumb.view not in views]

    # -- what the workspace asks ------------------------------------------------------------------
    @guarded(group="open-view")
    def descend(self, target, name: str) -> None:
        """Enter on ``name``: open what it leads to (a `model.ownership.Descent`) above the view shown."""
        from kubetui.kube.view_kinds import find

        resource = None
        if target.resource != "containers":
            resource = find(self.app.connection.api_client, target.group, target.resource)
            if resource is None:
                raise KubetuiError(f"the server does not serve {target.resource}.{target.group}".rstrip("."),
                                   "Cannot open")
        self.app.call_from_thread(self._open_child, target, resource, name)

    async def _open_child(self, target, resource, name: str) -> None:
        view = view_for(resource, namespace=target.namespace, now=self.app.now, descent=target)
        await self.push(view, crumb_label(resource), name)
        view.report_listing()  # a node's pods: `kubectl get pods -A --field-selector=spec.nodeName=…`

    # -- the stack ---------------------------------------------------------------------------------
    async def show_root(self, key: str, label: str, view: ResourceView | None = None) -> ResourceView:
        """Make the root ``key`` current (mounting ``view`` for it if it has none yet)."""
        await self._drop_trail(keep=0)
        crumb = self.roots.get(key)
        if crumb is None:
            assert view is not None, f"no view for {key}"
            crumb = self.roots[key] = Crumb(await self._mounted(view), label)
        crumb.label = label
        self.trail = [crumb]
        self._show(crumb.view)
        return crumb.view

    async def push(self, view: ResourceView, label: str, entered: str) -> ResourceView:
        """Open ``view`` above the current one, which led to it through the object ``entered``."""
        self.trail[-1].entered = entered
        self.trail.append(Crumb(await self._mounted(view), label))
        self._show(view)
        return view

    async def pop(self) -> bool:
        """Back to the view below; False at a root."""
        if len(self.trail) < 2:
            return False
        await self._drop_trail(keep=len(self.trail) - 2)
        self.trail[-1].entered = ""
        self._show(self.trail[-1].view)
        return True

    async def replace_all(self, view: ResourceView, key: str, label: str) -> None:
        """Stop and remove every view; ``view`` becomes the only root."""
        old = self.all_views()
        self.roots = {key: Crumb(await self._mounted(view), label)}
        self.trail = [self.roots[key]]
        self._show(view)
        for previous in old:
            previous.stop()
            await previous.remove()

    async def drop_roots_except(self, key: str) -> None:
        """Forget every other root (a context switch: their rows belong to the old cluster)."""
        await self.show_root(key, self.roots[key].label)
        for other in [k for k in self.roots if k != key]:
            crumb = self.roots.pop(other)
            crumb.view.stop()
            await crumb.view.remove()

    async def _mounted(self, view: ResourceView) -> ResourceView:
        view.id = view.id or f"view-{next(_ids)}"
        if self.on_view is not None:
            self.on_view(view)
        await self.mount(view)
        return view

    async def _drop_trail(self, keep: int) -> None:
        """Remove the trail's views after index ``keep`` (root views stay mounted)."""
        roots = {id(crumb.view) for crumb in self.roots.values()}
        dropped, self.trail = self.trail[keep + 1:], self.trail[:keep + 1]
        for crumb in dropped:
            if id(crumb.view) not in roots:
                crumb.view.stop()
                await crumb.view.remove()

    def _show(self, view: ResourceView) -> None:
        self.current = view.id
        view.focus_content()
        self.post_message(self.Switched())
