"""The pod list started with the app is used by the first matching watch, once, and only then."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

from kubetui.kube.contexts import connect
from kubetui.kube.first_list import prefetch_first_list, start_first_list
from kubetui.kube.pod_events import PodEvents
from kubetui.kube.watching import PodWatch
from kubetui.model.pod_status import pod_row, with_time
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
    first = start_first_list(conn, False)
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
        first = start_first_list(conn, False)
        assert first.take("kube-system", None, threading.Event()) is None
        assert first.take("default", "app=web", threading.Event()) is None
        assert first.take("default", None, threading.Event()) is not None
        assert first.take("default", None, threading.Event()) is None, "taken once only"
    finally:
        conn.close()


def _names(result) -> set[str]:
    items, _version = result
    return {f"{pod['metadata']['namespace']}/{pod['metadata']['name']}" for pod in items}


def test_the_worker_process_lists_what_the_thread_lists(cluster, tmp_path):
    namespace = "first-list-worker"
    kubeconfig = str(cluster.write_kubeconfig(tmp_path / "kc"))
    cluster.call(lambda: cluster.store.create("namespaces", {"metadata": {"name": namespace}}))
    for index in range(3):
        cluster.call(lambda index=index: cluster.store.create("pods", _pod(f"p{index}", namespace)))
    conn = connect(kubeconfig, None, namespace)
    try:
        in_worker = start_first_list(conn, False, kubeconfig=kubeconfig, in_worker=True)
        in_thread = start_first_list(conn, False)
        from_worker = in_worker.take(namespace, None, threading.Event())
        from_thread = in_thread.take(namespace, None, threading.Event())
        assert from_worker is not None and in_worker._process is not None, "the worker served it"
        assert _names(from_worker) == _names(from_thread) == {f"{namespace}/p0", f"{namespace}/p1", f"{namespace}/p2"}
        assert from_worker[1], "with the list's resourceVersion"
        assert set(from_worker[0][0]) == {"metadata"}, "only who each pod is: its row came built"
        now = datetime.now(timezone.utc)  # both drawn at one instant: built a second apart, AGE may differ
        from_thread_rows = {pod["metadata"]["uid"]: pod_row(pod, now) for pod in from_thread[0]}
        from_worker_rows = {uid: with_time(row, now) for uid, (_version, row) in in_worker.prepared_rows.items()}
        assert from_worker_rows == from_thread_rows, "the worker's rows are the thread's, instants included"
        assert in_worker._process.returncode == 0
    finally:
        conn.close()


def test_a_context_the_worker_cannot_serve_is_listed_in_the_thread(cluster, tmp_path, monkeypatch):
    kubeconfig = str(cluster.write_kubeconfig(tmp_path / "kc"))
    conn = connect(kubeconfig, None, "default")
    # A proxy in the environment is one thing the worker's transport does not do: it says so.
    # (The official client honours NO_PROXY, and builds itself after this: it reaches the cluster.)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    try:
        first = start_first_list(conn, False, kubeconfig=kubeconfig, in_worker=True)
        assert first.take("default", None, threading.Event()) is not None
        assert first._process is not None and first._process.returncode == 0
    finally:
        conn.close()


def test_the_list_started_before_the_client_is_the_contexts_namespace(cluster, tmp_path):
    """`kubetui` starts the worker from the kubeconfig alone; the namespace it lists is the
    context's, learnt from the worker, and a watch of another namespace does not take it."""
    kubeconfig = str(cluster.write_kubeconfig(tmp_path / "kc"))
    cluster.call(lambda: cluster.store.create("pods", _pod("mine", "default")))
    first = prefetch_first_list(kubeconfig, None, None, all_namespaces=False)
    conn = connect(kubeconfig, None, None)
    try:
        first.attach(conn, all_namespaces=False)
        assert first.take("kube-system", None, threading.Event()) is None
        result = first.take("default", None, threading.Event())
        assert result is not None and "default/mine" in _names(result)
        assert first._process is not None and first._process.returncode == 0, "the worker served it"
        items, _version = result
        assert set(first.prepared_rows) == {pod["metadata"]["uid"] for pod in items}, "rows built as it arrived"
    finally:
        conn.close()
