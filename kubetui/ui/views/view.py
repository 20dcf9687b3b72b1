"""What every resource view is to the workspace: a container widget, live, with its own keys.

Key decisions: a view never reaches for the header, the tabs or the apply dock. What it shows
the header must show in the same frame (counts, filter, watch state, namespace), so those facts
go out synchronously on the view's `facts` signal, which the workspace subscribes to; a request
(a session wanted) is a message. The workspace in turn calls the few methods below. The clock
and the prefetched first list are handed in, so tests fix time and the view never asks the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Mapping

from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input
from textual.message import Message
from textual.signal import Signal

from kubetui.ui.messages import ActionPerformed


@dataclass(frozen=True)
class Counts:
    """How many objects, by status, and how many the filter leaves (None: no filter)."""

    counts: Mapping[str, int]
    total: int
    shown: int | None
    filter_text: str
    noun: str = "pods"  # what is counted: "pods", "deployments", "containers"


@dataclass(frozen=True)
class WatchState:
    """The view's watch connected, went live, is retrying, went stale or failed."""

    kind: str
    attempt: int = 0
    since: datetime | None = None
    error_title: str = ""
    error_message: str = ""


@dataclass(frozen=True)
class Place:
    """The view now shows another namespace (None: all namespaces)."""

    namespace: str | None


# Enter in the filter line as a priority binding: the focus is back on the table before the keys
# typed right after Enter are routed (the Input's own Submitted message would come after them).
FILTER_ENTER = Binding("enter", "submit_filter", "Apply filter", show=False, priority=True)


class ResourceView(Vertical):
    """Base of the views registered in `kubetui.ui.views.VIEWS`."""

    TITLE = "Resources"  # the label of the views tab

    DEFAULT_CSS = "ResourceView { height: 1fr; }"

    class SessionRequested(Message):
        """Open a session of ``kind`` (see `kubetui.ui.sessions.SESSION_KINDS`) on a pod.

        ``pod`` is (namespace, name), or None when nothing is selected (the session kind says so);
        ``resource`` (an `ApiResource`) says what kind of object it is, for the kinds that take any
        (describe, YAML; namespace None for a cluster-scoped object).
        """

        def __init__(self, kind: str, pod: tuple[str, str] | None, action: str, resource: Any = None) -> None:
            super().__init__()
            self.kind, self.pod, self.action, self.resource = kind, pod, action, resource

    class DescendRequested(Message):
        """Open what ``name`` leads to (`model.ownership.Descent`): its ReplicaSets, pods, containers."""

        def __init__(self, target: Any, name: str) -> None:
            super().__init__()
            self.target, self.name = target, name

    class BackRequested(Message):
        """Esc with nothing of the view's own to close: back to the view this one was opened from."""

    class ActionRequested(Message):
        """Act on one object: ``verb`` is delete, kill, scale, restart or undo (see ui/object_actions.py)."""

        def __init__(self, verb: str, resource: Any, namespace: str | None, name: str) -> None:
            super().__init__()
            self.verb, self.resource, self.namespace, self.name = verb, resource, namespace, name

    def __init__(self, *, namespace: str | None, now: Callable[[], datetime],
                 prefetched: Callable[[], Any] | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._namespace = namespace
        self._now = now
        self._prefetched = prefetched
        self.facts: Signal[Counts | WatchState | Place] = Signal(self, "facts")

    def tell(self, fact: Counts | WatchState | Place) -> None:
        """Publish a fact; subscribers (the workspace) handle it before this returns."""
        self.facts.publish(fact)

    @property
    def namespace(self) -> str | None:
        return self._namespace

    def switch_namespace(self, namespace: str | None) -> None:
        """Show another namespace (None: all)."""
        raise NotImplementedError

    def connection_changed(self, namespace: str | None) -> None:
        """The app's connection was replaced: watch again on it, in ``namespace``."""
        raise NotImplementedError

    def stop(self) -> None:
        """Stop the view's streams; their threads end within a second or two."""

    def focus_content(self) -> None:
        """Give the focus to the view's main widget."""
        self.focus()

    def listing(self) -> Any:
        """The `kubectl get` request that lists what this view shows (None: no command does)."""
        return None

    def report_listing(self) -> None:
        """A key changed what the view lists: its `kubectl get` is that key's kubectl equivalent."""
        request = self.listing()
        if request is not None:
            self.app.post_message(ActionPerformed(request))

    def highlight(self, keys: set[str]) -> None:
        """Make the objects ``namespace/name`` in ``keys`` stand out (just applied); optional."""

    def jump_to(self, namespace: str, name: str) -> bool:
        """Move the cursor to an object, if this view shows its kind; False if it does not."""
        return False

    # -- the filter line of a table view: `/`, typing, Enter, Esc ------------------------------------
    # A view with a filter has an Input `#filter`, a `table` (its model), a `view` (its table
    # widget), `_label_selector` and `apply_filter(text) -> bool`; the rest is the same for all.
    def action_open_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = self.table.filter.text
        field.cursor_position = len(field.value)
        field.display = True
        # Focus now, not after this message (as `focus()` would): keys typed right after `/`
        # are already queued and must land in the filter, not on the table.
        self.screen.set_focus(field)

    def on_input_changed(self, event: Input.Changed) -> None:
        # Text filters follow typing. A label selector (`-l`, or a `-` that may become one) waits
        # for Enter, and so does leaving one: each change restarts the watch on the server.
        if event.input.id == "filter" and self._label_selector is None and not event.value.lstrip().startswith("-"):
            self.apply_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter" and self.apply_filter(event.value):
            self._close_filter()

    def action_submit_filter(self) -> None:
        """Enter in the filter line, taken as the key arrives (`FILTER_ENTER`)."""
        field = self.query_one("#filter", Input)
        if self.apply_filter(field.value):
            self._close_filter()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "submit_filter":
            fields = self.query("#filter")
            return bool(fields) and fields.first().has_focus
        return super().check_action(action, parameters)

    def action_clear_filter(self) -> None:
        was_open = self.query_one("#filter", Input).display
        if not was_open and self.table.filter.is_empty:
            self.post_message(self.BackRequested())  # nothing to clear: Esc goes back
            return
        self._close_filter()
        self.apply_filter("")

    def _close_filter(self) -> None:
        self.query_one("#filter", Input).display = False
        self.screen.set_focus(self.view)

