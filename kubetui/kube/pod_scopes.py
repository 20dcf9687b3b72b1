"""Live pods narrowed the way the resource views descend: on one node, owned by one object, one pod.

Key decision: a `PodWatch` subclass, so these views keep the pod table's rows (`pod_row`) and
every guarantee of its watch; the server narrows by field selector (`spec.nodeName=...`,
`metadata.name=...`), and ownership (an owner's uid in ownerReferences, which no selector can
express) is checked on the reader's batches (`keep_owned`).
"""

from __future__ import annotations

from typing import Any, Callable

from kubetui.kube.listing import LIST_TIMEOUT, list_pod_pages, pods_path
from kubetui.kube.requesting import open_get
from kubetui.kube.table_watching import keep_owned
from kubetui.kube.watch_stream import open_pod_watch
from kubetui.kube.watching import PodEvents, PodWatch

__all__ = ["ScopedPodWatch"]


class ScopedPodWatch(PodWatch):
    """`PodWatch` with a field selector and/or an owner uid (see the module doc)."""

    def __init__(self, api_client: Any, namespace: str | None, *, on_events: Callable[[PodEvents], None],
                 field_selector: str | None = None, owner_uid: str = "", **options: Any) -> None:
        self.field_selector = field_selector
        options.pop("first_list", None)  # a list made for another scope would not fit
        super().__init__(api_client, namespace, on_events=keep_owned(on_events, owner_uid) if owner_uid else on_events,
                         **options)

    def _open_watch(self, resource_version: str, read_timeout: float) -> Any:
        return open_pod_watch(
            self.api_client, self.namespace, resource_version, label_selector=self.label_selector,
            field_selector=self.field_selector, watch_seconds=self.watch_seconds,
            connect_timeout=self.connect_timeout, read_timeout=read_timeout)

    def _list(self) -> tuple[list[dict], str]:
        timeout = (self.connect_timeout, LIST_TIMEOUT[1])
        extra = [("fieldSelector", self.field_selector)] if self.field_selector else []

        def open_page(query):
            return _ReadOnce(self, self._opened(open_get(self.api_client, pods_path(self.namespace),
                                                         query + extra, timeout=timeout)))

        return list_pod_pages(open_page, label_selector=self.label_selector, project=self.project)


class _ReadOnce:
    """A list page whose connection is released (and forgotten by `stop()`) once read."""

    def __init__(self, watch: PodWatch, response: Any) -> None:
        self._watch, self._response = watch, response

    @property
    def data(self) -> bytes:
        try:
            return self._response.data
        finally:
            self._watch._closed(self._response)

    def release_conn(self) -> None:
        self._response.release_conn()
