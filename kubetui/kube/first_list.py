"""The first pod list, started before the UI is up, so the network and the parse overlap start-up.

Key decision: Textual's import and first frame take ~0.5 s; the list of 10,000 pods takes about
as long again. Started in a thread of the UI's process, the list's parsing holds the GIL the
start-up needs, so `kubetui` starts it in a process of its own (`kube.list_worker`), before even
the official client is built, and only reads the projected pods back, building their rows as
they arrive; the thread remains for contexts the worker cannot serve (exec plugins,
proxies, ...) and for apps built without a kubeconfig path. The first watch takes the result if
it asks for the same namespace; a failed prefetch is dropped and the watch lists again,
reporting the error itself.
"""

from __future__ import annotations

import fcntl
import queue
import subprocess
import sys
import threading
from typing import Any

from kubetui.kube.listing import LIST_TIMEOUT, list_pod_pages, pods_path
from kubetui.kube.list_worker import WORKER_CONTEXT_NAMESPACE
from kubetui.kube.requesting import open_get, paused_gc

__all__ = ["FirstList", "prefetch_first_list", "start_first_list"]


def start_first_list(connection: Any, all_namespaces: bool, *, kubeconfig: str | None = None,
                     in_worker: bool = False) -> "FirstList":
    """The pod table's first list for `connection` (its namespace, or all), started now.

    `in_worker`: in a child process reading the same kubeconfig (`kubeconfig`, else kubectl's
    default ones) and context, when the context allows it.
    """
    first = (prefetch_first_list(kubeconfig, connection.context, connection.namespace, all_namespaces)
             if in_worker else FirstList())
    first.attach(connection, all_namespaces)
    return first


def prefetch_first_list(kubeconfig: str | None, context: str | None, namespace: str | None,
                        all_namespaces: bool) -> "FirstList":
    """The first list in a worker process, started before the client is even built: the worker
    reads the kubeconfig itself (`namespace` None: the context's). `attach` the connection
    once made, for contexts the worker cannot serve."""
    listed = "" if all_namespaces else (namespace or WORKER_CONTEXT_NAMESPACE)
    return FirstList(worker=(kubeconfig or "", context or "", listed))


_UNKNOWN = object()


class FirstList:
    """The first pod list (all namespaces, or one) on its way in the background, taken at most once."""

    def __init__(self, *, worker: tuple[str, str, str] | None = None) -> None:
        # What is listed: None for all namespaces; unknown until the worker or the connection says
        # which namespace a context's default is.
        self.namespace: str | None | object = _UNKNOWN
        if worker is not None and worker[2] != WORKER_CONTEXT_NAMESPACE:
            self.namespace = worker[2] or None
        self.done = threading.Event()
        self._attached = threading.Event()
        self._connection: Any = None
        self._wanted: str | None = None  # the namespace to list in the thread: the attached connection's
        self._result: tuple[list[dict], str] | None = None
        self.prepared_rows: dict[str, tuple[str, Any]] = {}  # uid -> (resourceVersion, PodRow)
        self._process = _spawn_worker(*worker) if worker is not None else None
        threading.Thread(target=self._run, name="kubetui-first-list", daemon=True).start()

    def attach(self, connection: Any, all_namespaces: bool) -> None:
        """The connection the app runs on: its client lists here if the worker cannot."""
        if self._connection is None:
            self._connection = connection  # it lists here if the worker cannot
            self._wanted = None if all_namespaces else connection.namespace
            self._attached.set()

    def _run(self) -> None:
        from kubetui.model import display_fields

        try:
            if self._process is not None and self._from_worker(self._process):
                return
            self._attached.wait()
            namespace = self.namespace = self._wanted
            connection = self._connection
            api_client = connection.transport or connection.api_client  # the transport: no client to load
            self._result = list_pod_pages(
                lambda query: open_get(api_client, pods_path(namespace), query, timeout=LIST_TIMEOUT),
                project=display_fields)
        except Exception:  # the watch lists again and reports what is wrong
            self._result = None
        finally:
            self.done.set()

    def _from_worker(self, process: subprocess.Popen) -> bool:
        """The list read by `kube.list_worker`; False if it cannot serve this context."""
        items: list[dict] = []
        pages: queue.SimpleQueue[list[dict] | None] = queue.SimpleQueue()
        builder = threading.Thread(target=self._prepare_rows, args=(pages,), name="kubetui-first-rows", daemon=True)
        builder.start()
        try:
            with paused_gc(freeze_survivors=True):  # the rows are built under it too: joined before it ends
                try:
                    return self._read_frames(process, items, pages)
                finally:
                    pages.put(None)
                    builder.join()  # `done` is set after this: the rows are there when the list is
        finally:
            process.stdout.close()
            _end(process)

    def _read_frames(self, process: subprocess.Popen, items: list[dict],
                     pages: "queue.SimpleQueue[list[dict] | None]") -> bool:
        import orjson

        from kubetui.kube.list_worker import read_frames

        for kind, data in read_frames(process.stdout):
            if kind == b"P":
                page = orjson.loads(data)
                items.extend(page)
                pages.put(page)
            elif kind == b"D":
                done = orjson.loads(data)
                self.namespace = done["namespace"] or None
                self._result = items, done["resourceVersion"]
                return True
            elif kind == b"U":
                return False
            else:
                return True  # an error (or an early end): no prefetch, the watch lists again
        return True

    def _prepare_rows(self, pages: "queue.SimpleQueue[list[dict] | None]") -> None:
        """The table's rows of each page as it arrives, while the worker reads the next one, so the
        first batch finds them built (`RowBatch.from_events`'s `prepared`). The worker built most:
        they are only read back here; a pod it sent whole is built here."""
        from datetime import datetime, timezone

        from kubetui.kube.list_worker import ROW_KEY, row_from_fields
        from kubetui.model.pod_status import pod_row

        prepared = self.prepared_rows
        while (page := pages.get()) is not None:
            now = datetime.now(timezone.utc)
            for pod in page:
                metadata = pod.get("metadata") or {}
                fields = pod.pop(ROW_KEY, None)
                try:
                    row = row_from_fields(fields) if fields is not None else pod_row(pod, now)
                except ValueError:  # the batch builds it again and says what is wrong with it
                    continue
                prepared[metadata.get("uid")] = (metadata.get("resourceVersion"), row)

    def take(self, namespace: str | None, label_selector: str | None,
             stopping: threading.Event) -> tuple[list[dict], str] | None:
        """The prefetched (items, resourceVersion) if it fits this watch, else None; once only."""
        if label_selector or self.namespace not in (_UNKNOWN, namespace):
            return None
        while not self.done.wait(0.2):
            if stopping.is_set():
                self.abandon()
                return None
        if namespace != self.namespace:
            return None
        result, self._result = self._result, None
        return result

    def abandon(self) -> None:
        """Nobody will take it: stop the worker, if one is still reading."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()


def _spawn_worker(kubeconfig: str, context: str, namespace: str) -> subprocess.Popen | None:
    """The worker, started on the caller's thread (~2 ms): started from the reader thread it
    waited ~0.2 s for the GIL and the import lock the caller's own start-up was holding. None if
    it cannot be started: the thread lists instead."""
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "kubetui.kube.list_worker", kubeconfig, context, namespace],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return None
    _widen(process.stdout)
    return process


def _widen(pipe: Any) -> None:
    """Let the pipe hold 1 MiB instead of 64 KiB: a page is ~2 MB, and with the small buffer the
    worker waits on every 64 KiB until this process's reader thread, which shares the GIL with
    the UI's start-up, gets to run (measured: the list done ~0.15 s later)."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if set_size is None:
        return
    try:
        fcntl.fcntl(pipe.fileno(), set_size, 1 << 20)
    except OSError:  # above the system's pipe-max-size: the default buffer still works
        pass


def _end(process: subprocess.Popen) -> None:
    """Let the worker exit on its own (it has said all it will), else end it."""
    try:
        process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
