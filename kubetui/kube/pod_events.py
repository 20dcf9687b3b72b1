"""What a pod watch tells its consumer: batches of changes keyed "namespace/name".

Key decision: a batch keeps only the latest state per key (a delete after an upsert in the same
batch removes it), and what the consumer already shows (key -> resourceVersion) filters replays
out, so a UI table gets each change once however often the server repeats it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["EventBatch", "PodEvents", "pod_key"]


@dataclass
class PodEvents:
    """One coalesced batch of changes."""

    reset: bool  # True: `upserts` is the complete current set; rows not in it vanish
    upserts: list[dict] = field(default_factory=list)  # pod objects as plain dicts
    deletes: list[str] = field(default_factory=list)  # keys "namespace/name"


def pod_key(pod: dict) -> str:
    metadata = pod.get("metadata") or {}
    return f"{metadata.get('namespace') or ''}/{metadata.get('name') or ''}"


class EventBatch:
    """Changes gathered between two callbacks: the latest state per key wins."""

    def __init__(self) -> None:
        self.reset = False
        self.upserts: dict[str, dict] = {}
        self.deletes: dict[str, None] = {}

    def __bool__(self) -> bool:
        return self.reset or bool(self.upserts) or bool(self.deletes)

    def replace_all(self, pods: list[dict]) -> None:
        """A fresh list: it replaces everything gathered so far and everything shown."""
        self.reset = True
        self.upserts = {pod_key(pod): pod for pod in pods}
        self.deletes = {}

    def add(self, event_type: str, pod: dict) -> None:
        key = pod_key(pod)
        if event_type == "DELETED":
            self.upserts.pop(key, None)
            if not self.reset:  # a reset batch is complete by itself
                self.deletes[key] = None
        else:
            self.deletes.pop(key, None)
            self.upserts[key] = pod

    def take(self, known: dict[str, str]) -> PodEvents | None:
        """The batch as PodEvents, minus what the consumer already has; `known` (key ->
        resourceVersion shown) is updated. None when nothing is left to say."""
        if self.reset:
            known.clear()
            known.update((key, _version(pod)) for key, pod in self.upserts.items())
            events = PodEvents(True, list(self.upserts.values()), [])
        else:
            upserts = []
            for key, pod in self.upserts.items():
                version = _version(pod)
                if known.get(key) != version:  # a replayed event changes nothing
                    known[key] = version
                    upserts.append(pod)
            deletes = [key for key in self.deletes if known.pop(key, None) is not None]
            events = PodEvents(False, upserts, deletes) if upserts or deletes else None
        self.reset, self.upserts, self.deletes = False, {}, {}
        return events


def _version(pod: dict) -> str:
    return str((pod.get("metadata") or {}).get("resourceVersion") or "")
