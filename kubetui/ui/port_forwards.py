"""The app's port-forwards: each listens and forwards in a guarded thread worker of its own, until stopped.

Key decisions: a forward outlives the view it was started from (as k9s's do), so the registry
belongs to the app (`app.port_forwards`) and quitting stops them all. A forward is
`kube.port_forwarding.PortForward` with `stop_on_error=False`: a connection the pod refuses
does not end it (kubectl would exit), the kubelet's words go to the status line and stay in the
`:pf` view's STATE until the next connection succeeds. A listener that cannot be bound is a
KubetuiError on the app's one error route, and the forward shows as failed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from kubetui.kube.port_forwarding import PortForward
from kubetui.model.forward_ports import ForwardedPort
from kubetui.ui.workers import run_guarded

__all__ = ["ActiveForward", "PortForwards"]


@dataclass(eq=False)
class ActiveForward:
    """One forward as the `:pf` view lists it."""

    number: int
    namespace: str
    pod: str
    container: str
    forward: PortForward
    started: datetime
    stopped: bool = False
    listening: bool = False
    failed: str = ""
    notes: list[str] = field(default_factory=list)  # the "Forwarding from ..." lines

    @property
    def port(self) -> ForwardedPort:
        return self.forward.ports[0]

    @property
    def state(self) -> str:
        if self.failed:
            return f"Failed: {self.failed}"
        if self.stopped:
            return "Stopped"
        if not self.listening:
            return "Starting"
        if self.forward.last_error:
            return f"Active, last connection failed: {self.forward.last_error}"
        return "Active"


class PortForwards:
    """The forwards started in this app, oldest first."""

    def __init__(self) -> None:
        self.entries: list[ActiveForward] = []
        self._numbers = itertools.count(1)

    def start(self, app: Any, namespace: str, pod: str, container: str, port: ForwardedPort,
              now: datetime) -> ActiveForward:
        """Listen on localhost and forward to `port` of the pod, in a worker of `app`."""
        conn = app.connection
        forward = PortForward(conn.api_client, namespace, pod, [port], stop_on_error=False, server=conn.server)
        entry = ActiveForward(next(self._numbers), namespace, pod, container, forward, now)
        forward.say = partial(self._said, app, entry)
        self.entries.append(entry)
        run_guarded(app, partial(self._run, app, entry), group=f"port-forward-{entry.number}", exclusive=False,
                    failed=lambda _node, _error, shown: self._failed(entry, shown))
        return entry

    def stop(self, entry: ActiveForward) -> None:
        entry.stopped = True
        entry.forward.stop()

    def stop_all(self) -> None:
        for entry in self.entries:
            if not entry.stopped:
                self.stop(entry)

    def forget(self, entry: ActiveForward) -> None:
        """Drop a stopped or failed forward from the list."""
        self.stop(entry)
        if entry in self.entries:
            self.entries.remove(entry)

    # -- the worker ----------------------------------------------------------------------------
    @staticmethod
    def _run(app: Any, entry: ActiveForward) -> None:
        entry.forward.listen()  # KubetuiError: the app's error route, then `_failed`
        entry.listening = True
        if entry.notes:
            app.call_from_thread(app.notify, "\n".join(entry.notes), title=f"Port-forward {entry.pod}", markup=False)
        entry.forward.serve()

    @staticmethod
    def _said(app: Any, entry: ActiveForward, line: str, error: bool) -> None:
        if not error:
            if line.startswith("Forwarding from"):
                entry.notes.append(line)
            return
        message = entry.forward.last_error or line
        try:
            app.call_from_thread(app.notify, message, title=f"Port-forward {entry.pod}", severity="error",
                                 timeout=8, markup=False)
        except RuntimeError:  # the app is shutting down
            pass

    @staticmethod
    def _failed(entry: ActiveForward, shown: str) -> None:
        entry.failed = shown
        entry.forward.stop()
