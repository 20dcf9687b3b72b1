"""Which events `kubectl describe` shows for an object: its `searchEvents`, one rule for the
GETs of `kubetui describe` and for the watch of a live describe tab.

Key decisions: kubectl searches by involvedObject name, namespace, kind (left out for a core
Pod) and uid (a mirror pod's config uid; a node twice, by its uid then by its name, as kubelets
report nodes by name). A watch asks for the same terms without the uid, which is known only once
the object is read and changes when it is recreated; `matching` then keeps what kubectl's
searches would have listed, in their order: search after search, each in the server's list
order (namespace/name), which kubectl's unstable sort of equal times depends on. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

__all__ = ["MIRROR_ANNOTATION", "WITHOUT_EVENTS", "EventSearch", "event_search"]

MIRROR_ANNOTATION = "kubernetes.io/config.mirror"
# Kinds whose kubectl describer shows no events (so none are searched).
WITHOUT_EVENTS = frozenset({("", "Namespace"), ("", "Secret")})


@dataclass(frozen=True)
class EventSearch:
    name: str
    namespace: str
    kind: str              # "" for a core Pod: kubectl leaves the kind out
    uids: tuple[str, ...]  # one search per uid, in kubectl's order; "" searches without a uid

    def _terms(self) -> list[str]:
        terms = [f"involvedObject.name={self.name}", f"involvedObject.namespace={self.namespace}"]
        if self.kind:
            terms.append(f"involvedObject.kind={self.kind}")
        return terms

    def selectors(self) -> list[str]:
        """The field selectors of kubectl's requests, one per search."""
        return [",".join(self._terms() + ([f"involvedObject.uid={uid}"] if uid else [])) for uid in self.uids]

    @property
    def watch_selector(self) -> str:
        """One selector for every search: the terms without the uid (`matching` applies it)."""
        return ",".join(self._terms())

    def matching(self, events: Iterable[dict]) -> list[dict]:
        """Of ``events`` (read with `watch_selector`), what kubectl's searches list, in their order."""
        ordered = sorted(events, key=_list_order)
        found: list[dict] = []
        for uid in self.uids:
            found += [event for event in ordered if not uid or _involved(event).get("uid") == uid]
        return found


def event_search(group: str, kind: str, obj: dict) -> EventSearch:
    """kubectl describe's event search for ``obj`` (of ``kind`` in API ``group``); an object
    with only a name and a namespace gives the search before the object is read (no uid)."""
    meta = obj.get("metadata") or {}
    name, namespace, uid = meta.get("name") or "", meta.get("namespace") or "", meta.get("uid") or ""
    core_pod = kind == "Pod" and not group
    if core_pod:
        uid = (meta.get("annotations") or {}).get(MIRROR_ANNOTATION) or uid
    uids = (uid, name) if kind == "Node" and not group else (uid,)
    return EventSearch(name, namespace, "" if core_pod else kind, uids)


def _involved(event: dict) -> dict:
    involved = event.get("involvedObject")
    return involved if isinstance(involved, dict) else {}


def _list_order(event: dict) -> tuple[str, str]:
    meta = event.get("metadata") or {}
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")
