"""The first pod list, started before the UI is up, so the network and the parse overlap start-up.

Key decision: Textual's import and first frame take ~0.5 s; the list of 10,000 pods takes about
as long again. Starting it when the app object is built, rather than after the first frame,
hides one behind the other. The first watch takes the result if it asks for the same namespace;
a failed prefetch is dropped and the watch lists again, reporting the error itself.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from kubetui.kube.listing import LIST_TIMEOUT, list_pod_pages, pods_path
from kubetui.kube.requesting import open_get


def start_first_list(connection: Any, all_namespaces: bool) -> "FirstList":
    """The pod table's first list for `connection` (its namespace, or all), started now."""
    from kubetui.model import display_fields

    return FirstList(connection.api_client, None if all_namespaces else connection.namespace,
                     project=display_fields)


class FirstList:
    """`list_pod_pages` for one namespace (None: all) on a daemon thread, taken at most once."""

    def __init__(self, api_client: Any, namespace: str | None, *,
                 project: Callable[[dict], dict] | None = None) -> None:
        self.namespace = namespace
        self.done = threading.Event()
        self._result: tuple[list[dict], str] | None = None
        threading.Thread(target=self._run, args=(api_client, project), name="kubetui-first-list",
                         daemon=True).start()

    def _run(self, api_client: Any, project: Callable[[dict], dict] | None) -> None:
        try:
            self._result = list_pod_pages(
                lambda query: open_get(api_client, pods_path(self.namespace), query, timeout=LIST_TIMEOUT),
                project=project)
        except Exception:  # the watch lists again and reports what is wrong
            self._result = None
        finally:
            self.done.set()

    def take(self, namespace: str | None, label_selector: str | None,
             stopping: threading.Event) -> tuple[list[dict], str] | None:
        """The prefetched (items, resourceVersion) if it fits this watch, else None; once only."""
        if namespace != self.namespace or label_selector:
            return None
        while not self.done.wait(0.2):
            if stopping.is_set():
                return None
        result, self._result = self._result, None
        return result
