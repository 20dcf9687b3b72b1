"""Live pods narrowed the way the resource views descend: on one node, owned by one object, one pod.

Key decision: a `PodWatch` subclass, so these views keep the pod table's rows (`pod_row`) and
every guarantee of its watch; the server narrows by field selector (`spec.nodeName=...`,
`metadata.name=...`), and ownership (an owner's uid in ownerReferences, which no selector can
express) is checked on the reader's batches (`keep_owned`).
"""

from __future__ import annotations

from typing import Any, Callable

from kubetui.kube.table_watching import keep_owned
from kubetui.kube.watching import PodEvents, PodWatch

__all__ = ["ScopedPodWatch"]


class ScopedPodWatch(PodWatch):
    """`PodWatch` with a field selector and/or an owner uid (see the module doc)."""

    def __init__(self, api_client: Any, namespace: str | None, *, on_events: Callable[[PodEvents], None],
                 field_selector: str | None = None, owner_uid: str = "", **options: Any) -> None:
        options.pop("first_list", None)  # a list made for another scope would not fit
        super().__init__(api_client, namespace, on_events=keep_owned(on_events, owner_uid) if owner_uid else on_events,
                         field_selector=field_selector, **options)
