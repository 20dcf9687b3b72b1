"""Test helpers for PodWatch: a mirror that applies PodEvents as a UI table would, and a runner
that starts a watch in a thread and stops it (asserting that `run()` returned)."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Iterator

from kubetui.kube.listing import list_pods
from kubetui.kube.watching import PodEvents, PodWatch, WatchState, pod_key


class Mirror:
    """What a consumer of PodWatch would show: key -> pod, plus what it was told."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pods: dict[str, dict] = {}
        self.states: list[WatchState] = []
        self.resets = 0
        self.batches = 0
        self.unknown_deletes: list[str] = []
        self.replayed: list[tuple[str, str]] = []  # (key, resourceVersion) delivered twice
        self._delivered: set[tuple[str, str]] = set()

    def on_events(self, events: PodEvents) -> None:
        with self.lock:
            self.batches += 1
            if events.reset:
                self.resets += 1
                self.pods = {}
                self._delivered = set()
            for pod in events.upserts:
                key, version = pod_key(pod), pod["metadata"]["resourceVersion"]
                if (key, version) in self._delivered:
                    self.replayed.append((key, version))
                self._delivered.add((key, version))
                self.pods[key] = pod
            for key in events.deletes:
                if self.pods.pop(key, None) is None:
                    self.unknown_deletes.append(key)

    def on_state(self, state: WatchState) -> None:
        with self.lock:
            self.states.append(state)

    def versions(self) -> dict[str, str]:
        with self.lock:
            return {key: pod["metadata"]["resourceVersion"] for key, pod in self.pods.items()}

    def kinds(self) -> list[str]:
        with self.lock:
            return [state.kind for state in self.states]

    def last_state(self) -> WatchState | None:
        with self.lock:
            return self.states[-1] if self.states else None


def fresh_versions(api_client: Any, namespace: str | None, label_selector: str | None = None) -> dict[str, str]:
    items, _ = list_pods(api_client, namespace, label_selector=label_selector)
    return {pod_key(pod): pod["metadata"]["resourceVersion"] for pod in items}


@contextmanager
def running_watch(api_client: Any, namespace: str | None, mirror: Mirror, **options: Any) -> Iterator[PodWatch]:
    watch = PodWatch(api_client, namespace, on_events=mirror.on_events, on_state=mirror.on_state, **options)
    thread = threading.Thread(target=watch.run, name="test-pod-watch", daemon=True)
    thread.start()
    try:
        yield watch
    finally:
        watch.stop()
        thread.join(10)
        assert not thread.is_alive(), "PodWatch.run() did not return after stop()"
