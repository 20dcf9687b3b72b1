"""App-wide facts that cross from worker threads to the UI (widget-specific ones live in widgets).

Key decision: watch batches do not travel inside messages. The watch thread queues them and
posts one `WatchBatchesQueued` only when none is pending, so however fast the server talks the
UI handles one message per frame and merges everything that queued meanwhile.
"""

from __future__ import annotations

from textual.message import Message


class WatchBatchesQueued(Message, bubble=False):
    """Pod batches are waiting in the pods view's inbox."""


class WatchStateChanged(Message, bubble=False):
    """The pod watch of ``generation`` connected, went live, is retrying, or gave up."""

    def __init__(self, generation: int, state) -> None:
        super().__init__()
        self.generation = generation
        self.state = state  # kubetui.kube.watching.WatchState


class ContextConnected(Message):
    """A new context's connection is ready to replace the current one."""

    def __init__(self, connection) -> None:
        super().__init__()
        self.connection = connection  # kubetui.kube.contexts.Connection


class ActionPerformed(Message):
    """An action was done with keys; ``request`` is the kubectl command it corresponds to (a
    request of `kubetui.model.kubectl_grammar` or `kubectl_equivalent`). Posted to the app itself
    (bubbling stops at whichever node was handling a message when it was posted), which writes
    the line for the status line and keeps it for ctrl+y."""

    def __init__(self, request) -> None:
        super().__init__()
        self.request = request
