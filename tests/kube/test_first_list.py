"""The pod list started with the app is used by the first matching watch, once, and only then."""

from __future__ import annotations

import threading

from kubetui.kube.contexts import connect
from kubetui.kube.first_list import FirstList
from kubetui.kube.pod_events import PodEvents
from kubetui.kube.watching import PodWatch
from kubetui.model import display_fields
from tests.support.pods import container, pod_manifest
from tests.support.waiting import wait_for


def _pod(name: str, namespace: str) -> dict:
    return pod_manifest(name, container("c", "nginx:1.16"), namespace=namespace)


def test_first_watch_takes_the_prefetched_list_and_converges(cluster, tmp_path):
    namespace = "first-list"
    conn = connect(str(cluster.write_kubeconfig(tmp_path / "kc")), None, namespace)
    raw = conn.api_client
    cluster.call(lambda: cluster.store.create("namespaces", {"metadata": {"name": namespace}}))
    cluster.call(lambda: cluster.store.create("pods", _pod("early", namespace)))
    first = FirstList(raw, namespace, project=display_fields)
    assert first.done.wait(30)
    # created after the prefetch: the watch must still see it (it resumes from the list's RV)
    cluster.call(lambda: cluster.store.create("pods", _pod("late", namespace)))

    seen: dict[str, dict] = {}
    resets = []

    def on_events(events: PodEvents) -> None:
        if events.reset:
            resets.append([p["metadata"]["name"] for p in events.upserts])
            seen.clear()
        for pod in events.upserts:
            seen[pod["metadata"]["name"]] = pod
        for key in events.deletes:
            seen.pop(key.split("/", 1)[1], None)

    watch = PodWatch(raw, namespace, on_events=on_events, on_state=lambda state: None, first_list=first)
    thread = threading.Thread(target=watch.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: set(seen) == {"early", "late"}, timeout=20, message="both pods")
        assert resets[0] == ["early"], "the first reset is the prefetched list"
        assert "env" not in seen["early"]["spec"]["containers"][0]
    finally:
        watch.stop()
        thread.join(10)
        conn.close()


def test_prefetch_for_another_namespace_is_not_used(cluster, tmp_path):
    conn = connect(str(cluster.write_kubeconfig(tmp_path / "kc")), None, None)
    try:
        first = FirstList(conn.api_client, "default")
        assert first.take("kube-system", None, threading.Event()) is None
        assert first.take("default", "app=web", threading.Event()) is None
        assert first.take("default", None, threading.Event()) is not None
        assert first.take("default", None, threading.Event()) is None, "taken once only"
    finally:
        conn.close()
