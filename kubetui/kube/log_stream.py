"""One followed container: its pods/log streams, one instance after another, on its own thread.

Key decisions: the thread reads raw bytes and splits them into lines right here (one C-level
split per read), then hands whole lists to its `LogFollow`. It opens a stream only for an
instance the pod's status shows (`readable_instance`): after the server ends a stream (the
instance ended), it waits for a different containerID, writes the restart marker and reads the
new instance from its first line. A connection that breaks, or a stream that ends while the
same instance still runs (a kubelet restart), resumes from one second before the last data with
a marker saying lines may repeat. A deleted pod gets `DELETE_GRACE` seconds to deliver its last
lines before its stream is cut, then the deletion marker.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from kubetui.errors import KubetuiError, from_api_exception
from kubetui.kube.logs import LogOptions, abort, iter_chunks, open_log
from kubetui.model.log_lines import LineSplitter, deleted_marker, note_marker, reconnected_marker, \
    restarted_marker
from kubetui.model.log_sources import container_status, readable_instance

log = logging.getLogger(__name__)

DELETE_GRACE = 2.0     # seconds a deleted pod's open stream may still deliver its last lines
REOPEN_SECONDS = 5.0   # a stream that ended while its instance still runs is resumed after this
FIRST_BACKOFF, MAX_BACKOFF = 0.5, 10.0


@dataclass(frozen=True)
class LogState:
    """How the log is doing, for a banner.

    kind: "connecting" (nothing read yet), "live" (`streams` streams open), "waiting" (no
    container has anything to read yet), "ended" (nothing more will come: the pod was deleted,
    or a one-off read is done), "error" (`error` says why; followed streams retry)."""

    kind: str
    streams: int = 0
    error: KubetuiError | None = None


class ContainerStream:
    """Follows one container of one pod for its owner, a `LogFollow` (which imports this module:
    the owner is not typed here, to keep the import one way); see the module docstring."""

    def __init__(self, owner: Any, pod: dict, container: str, prefix: bytes,
                 options: LogOptions) -> None:
        meta = pod.get("metadata") or {}
        self.owner = owner
        self.namespace = str(meta.get("namespace") or owner.target.namespace)
        self.pod = str(meta.get("name") or "")
        self.uid = str(meta.get("uid") or "")
        self.container = container
        self.key = (self.uid, container)
        self.prefix = prefix
        self.options = options.for_container(container)
        self.open = False
        self._cond = threading.Condition()
        self._latest = pod
        self._deleted = False
        self._stopping = threading.Event()
        self._response = None
        self._last_error = ""
        self._last_data: datetime | None = None
        self._thread = threading.Thread(target=self._run_guarded, daemon=True,
                                        name=f"kubetui-log-{self.pod}/{container}")

    # ----------------------------------------------------------------- control
    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._cut()
        with self._cond:
            self._cond.notify_all()

    def pod_changed(self, pod: dict) -> None:
        with self._cond:
            self._latest = pod
            self._cond.notify_all()

    def pod_deleted(self) -> None:
        with self._cond:
            self._deleted = True
            self._cond.notify_all()
        timer = threading.Timer(DELETE_GRACE, self._cut)
        timer.daemon = True
        timer.start()

    def _cut(self) -> None:
        response, self._response = self._response, None
        if response is not None:
            abort(response)

    # ----------------------------------------------------------------- thread
    def _run_guarded(self) -> None:
        try:
            self._run()
        except Exception:
            log.exception("log stream of %s/%s failed", self.pod, self.container)
        finally:
            if self._deleted and not self._stopping.is_set():
                self._emit([self.prefix + deleted_marker()])
            self.owner.stream_ended(self)

    def _run(self) -> None:
        following = self.owner.following
        done_id: str | None = None   # the instance whose stream ended
        ended_at = 0.0               # when (monotonic), and when on the wall clock:
        ended_wall = datetime.now(timezone.utc)
        stale_id: str | None = None  # resumed once for nothing: not resumed again
        resume_from: datetime | None = None
        failures = 0
        first = True
        while not self._stopping.is_set():
            identifier, marker = done_id, None
            if following:
                found = self._wait_for_instance(done_id, ended_at, stale_id)
                if found is None:
                    return
                identifier, number, resumed = found
                if resumed:
                    resume_from = ended_wall
                if resume_from is not None:
                    marker = reconnected_marker()  # written only if the stream brings lines
                elif not first:
                    self._emit([self.prefix + restarted_marker(number)])
            options = self.options if first else replace(
                self.options, tail_lines=None, since_seconds=None, since_time=None, limit_bytes=None)
            if resume_from is not None:
                since = resume_from - timedelta(seconds=1)
                options = replace(options, since_time=since.strftime("%Y-%m-%dT%H:%M:%SZ"))
            outcome, count = self._read(options, marker)
            if not following or outcome == "gone":
                if outcome == "gone":
                    with self._cond:
                        self._deleted = True
                return
            if outcome == "eof":
                if resume_from is not None and count == 0 and identifier == done_id:
                    stale_id = identifier
                done_id, ended_at, ended_wall = identifier, time.monotonic(), datetime.now(timezone.utc)
                first, failures, resume_from = False, 0, None
            elif outcome == "broken":
                first, failures = False, 0
                resume_from = self._last_data or datetime.now(timezone.utc)
            elif outcome == "waiting":
                self._wait_for_change(2.0)
            elif outcome == "error":
                failures += 1
                self._stopping.wait(min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** (failures - 1)))

    def _wait_for_instance(self, done_id: str | None, ended_at: float,
                           stale_id: str | None) -> tuple[str, int, bool] | None:
        """The next instance to read: (containerID, number, resumed), or None when done. The
        instance already read is resumed only if it still runs `REOPEN_SECONDS` after its
        stream ended (the kubelet restarted, not the container)."""
        with self._cond:
            while True:
                if self._stopping.is_set() or self._deleted:
                    return None
                found = readable_instance(self._latest, self.container)
                if found is not None and found[0] != done_id:
                    return found[0], found[1], False
                if found is not None and found[0] != stale_id and _running(self._latest, self.container) \
                        and time.monotonic() - ended_at >= REOPEN_SECONDS:
                    return found[0], found[1], True
                self._cond.wait(0.5)

    def _wait_for_change(self, seconds: float) -> None:
        with self._cond:
            before = self._latest
            deadline = time.monotonic() + seconds
            while self._latest is before and not self._stopping.is_set() and not self._deleted:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._cond.wait(left)

    def _read(self, options: LogOptions, marker: bytes | None = None) -> tuple[str, int]:
        """One request, read to its end: ("eof" | "broken" | "gone" | "waiting" | "error" |
        "stopped", lines read). `marker` goes before the first line, if one comes."""
        try:
            response = open_log(self.owner.api_client, self.namespace, self.pod, options)
        except Exception as exc:
            return self._failed(exc), 0
        self._response = response
        if self._stopping.is_set():
            abort(response)
            return "stopped", 0
        self.open = True
        self.owner.stream_state()
        splitter, count = LineSplitter(self.prefix), 0
        try:
            for chunk in iter_chunks(response):
                lines = splitter.feed(chunk)
                if lines:
                    if marker is not None and not count:
                        lines.insert(0, self.prefix + marker)
                    count += len(lines)
                    self._last_data = datetime.now(timezone.utc)
                    if not self._emit(lines):
                        return "stopped", count
                    if self.owner.read_pause:
                        time.sleep(self.owner.read_pause)
            self._emit(splitter.finish())
            return "eof", count
        except Exception:
            if self._stopping.is_set():
                return "stopped", count
            self._emit(splitter.finish())
            return ("eof" if self._deleted else "broken"), count
        finally:
            self._response = None
            self.open = False
            self.owner.stream_state()

    def _failed(self, exc: Exception) -> str:
        if self._stopping.is_set():
            return "stopped"
        status = getattr(exc, "status", None)
        if status == 404:
            return "gone"
        error = from_api_exception(exc, self.owner.server)
        if status == 400 and self.owner.following:
            return "waiting"  # the status we acted on was behind: the instance is not there yet
        if error.message != self._last_error:
            self._last_error = error.message
            self._emit([self.prefix + note_marker(error.message)])
            if status != 400:
                self.owner.put(_error_state(error))
        return "error"

    def _emit(self, lines: list[bytes]) -> bool:
        return not lines or self.owner.put(lines)


def _running(pod: dict, container: str) -> bool:
    return "running" in ((container_status(pod, container) or {}).get("state") or {})


def _error_state(error: KubetuiError):
    return LogState("error", error=error)
