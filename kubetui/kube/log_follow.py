"""Follow container logs for a log view: a pod's container (or all of them), or every pod a
label selector matches, with new pods joining as they appear (as stern does).

`LogFollow.run()` blocks (the UI calls it from a thread worker) and reports through two
callbacks, both called from the thread that runs `run()`: `on_lines(list[bytes])` with batches
of lines (raw bytes, no newline) and `on_state(LogState)`.

Key decisions:
* One reader thread per container stream reads pods/log as raw bytes and splits them into lines
  on that thread (kube/log_stream.py); whole reads travel over a bounded queue, and `run()`
  hands them on once per `batch_interval`, so the consumer pays per batch, not per line, and a
  consumer that falls behind slows the readers (and through TCP the server) instead of
  growing a queue.
* A pod watch (field selector `metadata.name` for one pod, the label selector for many) says
  when a container has a new instance: its follower finishes the old stream (the server ends
  it when the instance ends), writes a marker line and follows the new instance from its first
  line. A deleted pod's streams end with a marker line; with one pod, that ends `run()`.
* Lines are prefixed `[pod/NAME/CONTAINER] ` as `kubectl logs --prefix` does whenever more than
  one container can appear (a selector, `all_containers`), unless `prefix` says otherwise.
* `stop()` shuts every socket down, so `run()` returns within a second even while readers are
  blocked in a read. `run()` never raises.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, replace
from typing import Any, Callable

from kubetui.errors import KubetuiError
from kubetui.kube.log_stream import ContainerStream, LogState
from kubetui.kube.logs import LogOptions
from kubetui.kube.pod_events import PodEvents
from kubetui.kube.watching import PodWatch, WatchState
from kubetui.model.log_lines import deleted_marker, note_marker, prefix_for
from kubetui.model.log_sources import pick_containers

__all__ = ["DEFAULT_TAIL", "LogFollow", "LogState", "LogTarget"]

log = logging.getLogger(__name__)

DEFAULT_TAIL = 1000        # lines a view starts with, then follows
BATCH_INTERVAL = 0.05
MAX_STREAMS = 50           # a selector matching more containers follows the first ones only
QUEUE_ITEMS = 16           # reads in flight between the readers and the consumer (each up to ~4,000 lines)


@dataclass(frozen=True)
class LogTarget:
    """What to read: one pod (`pod`) or every pod a label selector matches (`selector`)."""

    namespace: str
    pod: str | None = None
    selector: str | None = None
    container: str | None = None     # None: the default container, unless all_containers
    all_containers: bool = False

    def __post_init__(self) -> None:
        if (self.pod is None) == (self.selector is None):
            raise ValueError("a log target is either one pod or a label selector")


_STOP = object()


class LogFollow:
    """See the module docstring. `options`: the first read of each container (tail, since,
    timestamps...); with `follow` (the default) restarts and new pods are followed too."""

    def __init__(self, api_client: Any, target: LogTarget, *, on_lines: Callable[[list[bytes]], None],
                 on_state: Callable[[LogState], None], options: LogOptions | None = None,
                 prefix: bool | None = None, batch_interval: float = BATCH_INTERVAL,
                 max_streams: int = MAX_STREAMS, read_pause: float = 0.0) -> None:
        self.api_client = api_client
        self.target = target
        self.options = options or LogOptions(follow=True, tail_lines=DEFAULT_TAIL)
        self.prefix = prefix if prefix is not None else (target.selector is not None or target.all_containers)
        self.on_lines = on_lines
        self.on_state = on_state
        self.batch_interval = batch_interval
        self.max_streams = max_streams
        # Seconds each reader steps aside after a read. A UI sharing the interpreter lock gets it
        # back at once instead of after a switch interval at every turn of its loop; a command
        # printing to a pipe has no one to step aside for (0).
        self.read_pause = read_pause
        self.server = str(getattr(getattr(api_client, "configuration", None), "host", "") or "")
        self._items: queue.Queue = queue.Queue(QUEUE_ITEMS)
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._streams: dict[tuple[str, str], ContainerStream] = {}  # (pod uid, container)
        self._picked: dict[str, tuple[str, ...]] = {}  # pod uid -> containers followed
        self._names: dict[str, str] = {}  # pod uid -> name, for deletions (keyed by name)
        self._listed = False   # the first pod list has been seen
        self._capped = False   # the max_streams marker was written
        self._watch = PodWatch(api_client, target.namespace, label_selector=target.selector,
                               field_selector=f"metadata.name={target.pod}" if target.pod else None,
                               on_events=self._pods_changed, on_state=self._watch_state)

    @property
    def following(self) -> bool:
        return self.options.follow and not self.options.previous

    # ----------------------------------------------------------------- public
    def stop(self) -> None:
        """Ask `run()` to return; safe from any thread, any number of times."""
        self._stopping.set()
        self._watch.stop()
        with self._lock:
            streams = list(self._streams.values())
        for stream in streams:
            stream.stop()
        try:
            self._items.put_nowait(_STOP)
        except queue.Full:  # the pump sees _stopping at its next wake-up anyway
            pass

    def run(self) -> None:
        """Read and report until `stop()` or until nothing more can come; never raises."""
        if self._stopping.is_set():
            return
        _call(self.on_state, LogState("connecting"))
        watcher = threading.Thread(target=self._watch.run, name="kubetui-log-pods", daemon=True)
        watcher.start()
        try:
            self._pump()
        except Exception:  # a bug of ours: report it, never raise into the worker
            log.exception("log follow stopped on an unexpected error")
            _call(self.on_state, LogState("error", error=KubetuiError(
                "the log view stopped on an internal error", "Internal error")))
        finally:
            self.stop()
            watcher.join(1.0)

    # ----------------------------------------------------------------- called by the streams
    def put(self, item: Any) -> bool:
        """Hand `item` (a list of lines, a LogState) to the consumer; waits while the queue is
        full. False when stopping."""
        while not self._stopping.is_set():
            try:
                self._items.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def stream_ended(self, stream: ContainerStream) -> None:
        with self._lock:
            self._streams.pop(stream.key, None)
            left = len(self._streams)
        if left == 0 and self._listed and (self.target.pod is not None or not self.following):
            self.put(LogState("ended"))

    def stream_state(self) -> None:
        """A stream opened or closed: tell how many are open (counted and sent under one lock,
        so the last state sent is the last state counted)."""
        with self._state_lock:
            with self._lock:
                open_now = sum(1 for s in self._streams.values() if s.open)
            self.put(LogState("live" if open_now else "waiting", streams=open_now))

    # ----------------------------------------------------------------- pod watch
    def _pods_changed(self, events: PodEvents) -> None:
        with self._lock:
            first_list = not self._listed
            self._listed = True
            current = {(p.get("metadata") or {}).get("uid"): p for p in events.upserts}
            if events.reset:
                for uid in [uid for uid in self._picked if uid not in current]:
                    self._pod_gone(uid)
            for key in events.deletes:
                name = key.split("/", 1)[-1]
                for uid in [uid for uid, known in self._names.items() if known == name]:
                    self._pod_gone(uid)
            for uid, pod in current.items():
                name = (pod.get("metadata") or {}).get("name")
                for older in [u for u, known in self._names.items() if known == name and u != uid]:
                    self._pod_gone(older)  # deleted and created again within one batch
                self._pod_seen(uid, pod, joined=not first_list)
            nothing = not self._streams
            vanished = self.target.pod is not None and not first_list and not self._names
        if vanished and nothing:  # deleted before any container had started: nothing else will
            self.put([deleted_marker()])
            self.put(LogState("ended"))
        if first_list and nothing:
            if self.target.pod is not None and not current:
                self.put(marker_lines(f"pod {self.target.pod} not found"))
                self.put(LogState("ended", error=KubetuiError(
                    f'pods "{self.target.pod}" not found in namespace "{self.target.namespace}"', "Not found")))
            elif not self.following and not current:
                self.put(LogState("ended"))
            else:
                self.put(LogState("waiting"))
        elif first_list:
            self.stream_state()

    def _pod_seen(self, uid: str, pod: dict, joined: bool) -> None:
        name = str((pod.get("metadata") or {}).get("name") or "")
        self._names[uid] = name
        if uid not in self._picked:
            if joined and not self.following:
                return  # a one-off read covers the pods that were there
            try:
                names = pick_containers(pod, self.target.container, self.target.all_containers, quiet=True).names
            except ValueError as problem:
                self._picked[uid] = ()
                self.put(marker_lines(str(problem)))
                error = KubetuiError(str(problem), "No such container")
                self.put(LogState("ended" if self.target.pod is not None else "error", error=error))
                return
            self._picked[uid] = names
            for container in names:
                if len(self._streams) >= self.max_streams:
                    if not self._capped:
                        self._capped = True
                        self.put(marker_lines(f"more than {self.max_streams} containers: "
                                                  "the others are not followed"))
                    break
                options = self.options if not joined else _from_start(self.options)
                prefix = prefix_for(name, container) if self.prefix else b""
                stream = ContainerStream(self, pod, container, prefix, options)
                self._streams[stream.key] = stream
                stream.start()
        for container in self._picked[uid]:
            stream = self._streams.get((uid, container))
            if stream is not None:
                stream.pod_changed(pod)

    def _pod_gone(self, uid: str) -> None:
        self._picked.pop(uid, None)
        self._names.pop(uid, None)
        for stream in [s for s in self._streams.values() if s.uid == uid]:
            stream.pod_deleted()

    def _watch_state(self, state: WatchState) -> None:
        if state.kind == "error" and state.error is not None:
            self.put(LogState("error", error=state.error))

    # ----------------------------------------------------------------- pump
    def _pump(self) -> None:
        pending: list[bytes] = []
        deadline: float | None = None
        while not self._stopping.is_set():
            timeout = 0.5 if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                item = self._items.get(timeout=timeout)
            except queue.Empty:
                item = None
            if item is _STOP:
                return
            if isinstance(item, list):
                pending.extend(item)
                if deadline is None:
                    deadline = time.monotonic() + self.batch_interval
            elif isinstance(item, LogState):
                if pending:
                    _call(self.on_lines, pending)
                    pending, deadline = [], None
                _call(self.on_state, item)
                if item.kind == "ended":
                    return
            if deadline is not None and time.monotonic() >= deadline:
                _call(self.on_lines, pending)
                pending, deadline = [], None


def marker_lines(text: str) -> list[bytes]:
    return [note_marker(text)]


def _from_start(options: LogOptions) -> LogOptions:
    """A pod that appeared after the start is read from its first line (up to the default
    tail: a pod that only seems new after an outage must not flood the view)."""
    return replace(options, tail_lines=DEFAULT_TAIL, since_seconds=None, since_time=None)


def _call(callback: Callable[[Any], None], value: Any) -> None:
    try:
        callback(value)
    except Exception:  # a failing consumer must not end the stream; its bug goes to the log
        log.exception("a log callback failed")
