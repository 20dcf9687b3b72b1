"""An interactive exec session: one thread owns the WebSocket, everything else talks to it.

Key decisions:
- The socket thread connects, sends the terminal size on channel 4 before any other frame
  (the "wrong initial size" bug of k9s #1267 and Lens #8240), then loops: wait on the socket
  and a wake-up pipe, send what the UI queued (keys, resizes), read frames and feed them to the
  sink (a `ScreenBuffer`, which parses under its own lock), then tell the UI once per batch.
  The UI thread never touches the socket and never blocks on it.
- Shell fallback: `/bin/bash` first; if the runtime answers on channel 3 that the binary does
  not exist before any output, the thread reconnects with `/bin/sh` and says so.
- It stops on request within half a second (the wait's timeout), and reports how it ended:
  an exit code from the channel-3 Status, or a `KubetuiError` (connection lost, runtime error).
  When the end looks like the container's doing (status 137, or the stream just closed) it
  reads the pod once more and says what happened (model/exec_ends.py): a deleted pod, a
  restarted or stopped container — the container instance it started in is read at connect.
"""

from __future__ import annotations

import collections
import socket
import threading
import time
from dataclasses import dataclass, replace
from typing import Callable, Protocol

from kubetui.errors import KubetuiError
from kubetui.kube.exec_errors import (
    connection_lost,
    exit_code_of,
    is_missing_binary,
    runtime_failure,
    status_from_body,
)
from kubetui.kube.exec_stream import (
    SHELLS,
    STATUS,
    STDERR,
    STDIN,
    STDOUT,
    ExecTarget,
    more_ready,
    open_stream,
    pod_now,
    read_frame,
    readable,
    send_resize,
)
from kubetui.model.exec_ends import end_cause, running_instance

READ_BUDGET = 64 * 1024  # bytes parsed per batch before queued keys get their turn again
YIELD_SECONDS = 0.001  # pause after a full batch, so a flood leaves the UI thread room
WAIT_SECONDS = 0.5  # longest the thread waits before it looks at the stop flag again
KILLED = 137  # 128 + SIGKILL: what the runtime leaves an exec whose container stopped


class Sink(Protocol):
    def feed(self, data: bytes) -> None: ...
    def take_replies(self) -> bytes: ...


@dataclass(frozen=True)
class SessionEnd:
    """How a session ended: `exit_code` from the Status (None if unknown), or an `error`;
    `cause` says what happened to the container when it, not the command, ended the session
    (`pod web was deleted`), and `pod_gone` whether reconnecting can work at all."""

    exit_code: int | None = None
    error: KubetuiError | None = None
    closed_by_user: bool = False
    cause: str | None = None
    pod_gone: bool = False


class _Fallback(Exception):
    """The runtime says this shell does not exist: try the next one."""


class ExecSession:
    def __init__(
        self,
        api_client,
        target: ExecTarget,
        sink: Sink,
        *,
        size: tuple[int, int],
        on_output: Callable[[], None] = lambda: None,
        on_started: Callable[[tuple, tuple | None], None] = lambda command, replaced: None,
        on_ended: Callable[[SessionEnd], None] = lambda end: None,
    ) -> None:
        self.api_client = api_client
        self.target = target
        self.sink = sink
        self.command: tuple = ()
        self.running = False
        self.ended: SessionEnd | None = None
        self._size = size
        self._started_in: str | None = None  # the container instance the session runs in
        self._on_output, self._on_started, self._on_ended = on_output, on_started, on_ended
        self._outbox: collections.deque = collections.deque()
        self._stop = threading.Event()
        # a socket pair, not os.pipe(): once closed, a late wake-up fails cleanly instead of
        # writing into whatever file reused the descriptor number
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_w.setblocking(False)
        self._thread = threading.Thread(target=self._run, name=f"exec {target.where}", daemon=True)

    # --- called from any thread (the UI) --- #

    def start(self) -> None:
        self._thread.start()

    def send(self, data: bytes) -> None:
        """Queue bytes for the remote stdin."""
        if data and self.ended is None:
            self._outbox.append((STDIN, data))
            self._wake()

    def resize(self, cols: int, rows: int) -> None:
        """Queue a terminal size (sent at once if connected, and used for every reconnect)."""
        if (cols, rows) != self._size and cols > 0 and rows > 0:
            self._size = (cols, rows)
            self._outbox.append(("resize", (cols, rows)))
            self._wake()

    def close(self) -> None:
        """Ask the thread to hang up; it does within WAIT_SECONDS."""
        self._stop.set()
        self._wake()

    def join(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"\0")
        except OSError:  # closed (the thread has ended) or full (it will wake anyway)
            pass

    # --- the socket thread --- #

    def _run(self) -> None:
        candidates = [self.target.command] if self.target.command else list(SHELLS)
        replaced = None
        end = SessionEnd()
        try:
            for index, command in enumerate(candidates):
                try:
                    end = self._session(command, replaced, last=index == len(candidates) - 1)
                    break
                except _Fallback:
                    replaced = command
        except KubetuiError as exc:
            end = SessionEnd(error=exc)
        except Exception as exc:  # never let a thread die with a traceback on the screen
            end = SessionEnd(error=connection_lost(self.target.where, f"{type(exc).__name__}: {exc}"))
        finally:
            self.running = False
            if self._stop.is_set():
                end = SessionEnd(closed_by_user=True)
            elif _container_may_have_ended(end):
                end = self._with_cause(end)
            self.ended = end
            self._wake_r.close()
            self._wake_w.close()
            self._on_ended(self.ended)

    def _session(self, command: tuple, replaced: tuple | None, last: bool) -> SessionEnd:
        ws = open_stream(self.api_client, self.target, command, stdin=True)
        try:
            if self.target.tty:
                send_resize(ws, *self._size)
            self._started_in = self._instance_now()
            self.command = command
            self.running = True
            self._on_started(command, replaced)
            return self._pump(ws, command, may_fall_back=not last)
        finally:
            try:
                ws.close()
            except Exception:  # already closed by the server
                pass

    def _pump(self, ws, command: tuple, may_fall_back: bool) -> SessionEnd:
        seen_output = False
        while not self._stop.is_set():
            try:
                data_ready, woken = readable(ws, self._wake_r, WAIT_SECONDS)
                if woken:
                    self._wake_r.recv(4096)
                    self._flush_outbox(ws)
                if not data_ready:
                    continue
                fed = 0
                while True:
                    frame = read_frame(ws)
                    if frame is None:
                        return SessionEnd(error=connection_lost(self.target.where, "the server closed the stream"))
                    channel, payload = frame
                    if channel in (STDOUT, STDERR) and payload:
                        self.sink.feed(payload)
                        fed += len(payload)
                        seen_output = True
                    elif channel == STATUS:
                        return self._status_end(status_from_body(payload), command, may_fall_back and not seen_output)
                    if fed >= READ_BUDGET or not more_ready(ws):
                        break
            except _Fallback:
                raise
            except (OSError, ValueError) as exc:
                if self._stop.is_set():
                    break
                return SessionEnd(error=connection_lost(self.target.where, str(exc) or type(exc).__name__))
            except Exception as exc:  # websocket-client's own exceptions (closed, timeout, protocol)
                if self._stop.is_set():
                    break
                return SessionEnd(error=connection_lost(self.target.where, type(exc).__name__))
            replies = self.sink.take_replies()
            if replies:
                ws.write_channel(STDIN, replies)
            if fed:
                self._on_output()
                if fed >= READ_BUDGET:
                    # A flood: step aside a moment so the UI thread gets the GIL at once, instead
                    # of after a switch interval each time it wants it back (keys stay snappy).
                    time.sleep(YIELD_SECONDS)
        return SessionEnd(closed_by_user=True)

    def _status_end(self, status: dict, command: tuple, may_fall_back: bool) -> SessionEnd:
        if may_fall_back and is_missing_binary(status):
            raise _Fallback()
        code = exit_code_of(status)
        if code is None:
            return SessionEnd(error=runtime_failure(status, list(command)))
        return SessionEnd(exit_code=code)

    # --- why it ended --- #

    def _pod_now(self) -> tuple[dict | None, bool]:
        """(the pod or None if it no longer exists, whether the answer is known)."""
        try:
            return pod_now(self.api_client, self.target.namespace, self.target.pod), True
        except KubetuiError:
            return None, False

    def _instance_now(self) -> str | None:
        pod, known = self._pod_now()
        return running_instance(pod, self.target.container) if known and pod else None

    def _with_cause(self, end: SessionEnd) -> SessionEnd:
        """Read the pod: a container that stopped or a pod that went explains the end."""
        pod, known = self._pod_now()
        if not known:
            return end
        cause = end_cause(pod, self.target.pod, self.target.container, self._started_in)
        if cause is None:
            return end
        gone = pod is None or bool((pod.get("metadata") or {}).get("deletionTimestamp"))
        return replace(end, cause=cause, pod_gone=gone)

    def _flush_outbox(self, ws) -> None:
        while self._outbox:
            kind, value = self._outbox.popleft()
            if kind == "resize":
                if self.target.tty:
                    send_resize(ws, *value)
            else:
                ws.write_channel(kind, value)


def _container_may_have_ended(end: SessionEnd) -> bool:
    """SIGKILL'd, or the stream closed without a Status: worth asking what the pod did."""
    if end.exit_code == KILLED:
        return True
    return end.error is not None and end.error.title == "Connection lost"
