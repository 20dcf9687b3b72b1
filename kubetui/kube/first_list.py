"""The first pod list, started before the UI is up, so the network and the parse overlap start-up.

Key decision: Textual's import and first frame take ~0.5 s; the list of 10,000 pods takes about
as long again. Started in a thread of the UI's process, the list's parsing holds the GIL the
start-up needs, so `kubetui` starts it in a process of its own (`kube.list_worker`) and only reads
the projected pods back; the thread remains for contexts the worker cannot serve (exec plugins,
proxies, ...) and for apps built without a kubeconfig path. The first watch takes the result if
it asks for the same namespace; a failed prefetch is dropped and the watch lists again,
reporting the error itself.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any, Callable

from kubetui.kube.listing import LIST_TIMEOUT, list_pod_pages, pods_path
from kubetui.kube.requesting import open_get, paused_gc

__all__ = ["FirstList", "start_first_list"]


def start_first_list(connection: Any, all_namespaces: bool, *, kubeconfig: str | None = None,
                     in_worker: bool = False) -> "FirstList":
    """The pod table's first list for `connection` (its namespace, or all), started now.

    `in_worker`: in a child process reading the same kubeconfig (`kubeconfig`, else kubectl's
    default ones) and context, when the context allows it.
    """
    from kubetui.model import display_fields

    namespace = None if all_namespaces else connection.namespace
    worker = (kubeconfig or "", connection.context) if in_worker else None
    return FirstList(connection.api_client, namespace, project=display_fields, worker=worker)


class FirstList:
    """`list_pod_pages` for one namespace (None: all) in the background, taken at most once."""

    def __init__(self, api_client: Any, namespace: str | None, *,
                 project: Callable[[dict], dict] | None = None,
                 worker: tuple[str, str] | None = None) -> None:
        self.namespace = namespace
        self.done = threading.Event()
        self._result: tuple[list[dict], str] | None = None
        self._process: subprocess.Popen | None = None
        threading.Thread(target=self._run, args=(api_client, project, worker), name="kubetui-first-list",
                         daemon=True).start()

    def _run(self, api_client: Any, project: Callable[[dict], dict] | None,
             worker: tuple[str, str] | None) -> None:
        try:
            served = worker is not None and self._from_worker(*worker)
            if not served:
                self._result = list_pod_pages(
                    lambda query: open_get(api_client, pods_path(self.namespace), query, timeout=LIST_TIMEOUT),
                    project=project)
        except Exception:  # the watch lists again and reports what is wrong
            self._result = None
        finally:
            self.done.set()

    def _from_worker(self, kubeconfig: str, context: str) -> bool:
        """The list read by `kube.list_worker`; False if it cannot serve this context."""
        import orjson

        from kubetui.kube.list_worker import read_frames

        self._process = process = subprocess.Popen(
            [sys.executable, "-m", "kubetui.kube.list_worker", kubeconfig, context, self.namespace or ""],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        items: list[dict] = []
        try:
            with paused_gc(freeze_survivors=True):
                for kind, data in read_frames(process.stdout):
                    if kind == b"P":
                        items.extend(orjson.loads(data))
                    elif kind == b"D":
                        self._result = items, orjson.loads(data)
                        return True
                    elif kind == b"U":
                        return False
                    else:
                        return True  # an error (or an early end): no prefetch, the watch lists again
            return True
        finally:
            process.stdout.close()
            _end(process)

    def take(self, namespace: str | None, label_selector: str | None,
             stopping: threading.Event) -> tuple[list[dict], str] | None:
        """The prefetched (items, resourceVersion) if it fits this watch, else None; once only."""
        if namespace != self.namespace or label_selector:
            return None
        while not self.done.wait(0.2):
            if stopping.is_set():
                self.abandon()
                return None
        result, self._result = self._result, None
        return result

    def abandon(self) -> None:
        """Nobody will take it: stop the worker, if one is still reading."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()


def _end(process: subprocess.Popen) -> None:
    """Let the worker exit on its own (it has said all it will), else end it."""
    try:
        process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
