"""PodWatch against the session's local API server: list, then live events, selectors, stop(),
and the states a UI banner shows for a refused token or an unreachable server."""

from __future__ import annotations

import socket
from pathlib import Path

import yaml
from watch_mirror import Mirror, fresh_versions, running_watch

from kubetui.kube.contexts import connect
from kubetui.kube.watching import EventBatch, PodWatch, pod_key
from tests.support.pods import pod_manifest


def _create(raw, namespace: str, name: str, labels: dict[str, str] | None = None) -> None:
    raw.create_pod(namespace, pod_manifest(name, labels=labels))


def _label(raw, namespace: str, name: str, labels: dict[str, str]) -> None:
    status, _, body = raw.request("PATCH", f"/api/v1/namespaces/{namespace}/pods/{name}",
                                  {"metadata": {"labels": labels}},
                                  headers={"Content-Type": "application/merge-patch+json"})
    assert status == 200, body


def test_lists_then_follows_adds_changes_and_deletes(api_client, raw, namespace, wait_for):
    _create(raw, namespace, "before")
    mirror = Mirror()
    with running_watch(api_client, namespace, mirror, batch_interval=0.02):
        wait_for(lambda: "live" in mirror.kinds(), message="the watch to go live")
        assert mirror.kinds()[0] == "connecting"
        assert f"{namespace}/before" in mirror.versions()  # from the first list (reset)

        _create(raw, namespace, "after")
        wait_for(lambda: f"{namespace}/after" in mirror.versions(), message="the ADDED pod")
        _label(raw, namespace, "before", {"color": "blue"})
        wait_for(lambda: mirror.pods[f"{namespace}/before"]["metadata"].get("labels", {}).get("color") == "blue",
                 message="the label change")
        raw.request("DELETE", f"/api/v1/namespaces/{namespace}/pods/after?gracePeriodSeconds=0")
        wait_for(lambda: f"{namespace}/after" not in mirror.versions(), message="the deletion")
        wait_for(lambda: mirror.versions() == fresh_versions(api_client, namespace), timeout=20,
                 message="the view to equal a fresh list")
    assert mirror.resets == 1
    assert not mirror.replayed and not mirror.unknown_deletes


def test_a_label_selector_follows_pods_into_and_out_of_the_selection(api_client, raw, namespace, wait_for):
    _create(raw, namespace, "a", {"tier": "web"})
    _create(raw, namespace, "b", {"tier": "db"})
    mirror = Mirror()
    with running_watch(api_client, namespace, mirror, label_selector="tier=web", batch_interval=0.02):
        wait_for(lambda: "live" in mirror.kinds())
        assert set(mirror.versions()) == {f"{namespace}/a"}
        _label(raw, namespace, "b", {"tier": "web"})
        _label(raw, namespace, "a", {"tier": "db"})
        wait_for(lambda: set(mirror.versions()) == {f"{namespace}/b"}, message="b in, a out")


def test_stop_returns_while_the_watch_is_idle(api_client, namespace, wait_for):
    mirror = Mirror()
    with running_watch(api_client, namespace, mirror) as watch:  # asserts run() returned
        wait_for(lambda: "live" in mirror.kinds())
        assert mirror.resets == 1 and mirror.pods == {}
        watch.stop()
        watch.stop()  # idempotent


def test_stop_before_run_makes_run_return_at_once(api_client, namespace):
    mirror = Mirror()
    watch = PodWatch(api_client, namespace, on_events=mirror.on_events, on_state=mirror.on_state)
    watch.stop()
    watch.run()
    assert mirror.states == [] and mirror.batches == 0


def _kubeconfig_variant(cluster, tmp_path: Path, *, token: str | None = None, server: str | None = None) -> str:
    path = cluster.write_kubeconfig(tmp_path / "config")
    document = yaml.safe_load(path.read_text())
    for user in document["users"]:
        if token is not None:
            user["user"]["token"] = token
    for entry in document["clusters"]:
        if server is not None:
            entry["cluster"]["server"] = server
    path.write_text(yaml.safe_dump(document))
    return str(path)


def test_a_rejected_token_is_an_error_state_never_an_exception(cluster, tmp_path, wait_for):
    conn = connect(_kubeconfig_variant(cluster, tmp_path, token="not-a-valid-token"))
    mirror = Mirror()
    try:
        with running_watch(conn.api_client, "default", mirror):
            state = wait_for(lambda: next((s for s in mirror.states if s.kind == "error"), None),
                             message="an error state")
            assert state.error is not None and state.error.title == "Unauthorized"
            assert "401" in state.error.message
            assert mirror.batches == 0
    finally:
        conn.close()


def test_an_unreachable_server_reports_reconnecting_with_a_clear_reason(cluster, tmp_path, wait_for):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    conn = connect(_kubeconfig_variant(cluster, tmp_path, server=f"https://127.0.0.1:{port}"))
    mirror = Mirror()
    try:
        with running_watch(conn.api_client, None, mirror):
            state = wait_for(lambda: next((s for s in mirror.states if s.kind == "reconnecting"), None),
                             message="a reconnecting state")
            assert state.error is not None and state.error.title == "Unreachable"
            assert state.since is None  # no data was ever shown, so nothing is stale
            assert "stale" not in mirror.kinds()
    finally:
        conn.close()


# ------------------------------------------------------------------ coalescing, no server needed
def _p(name: str, version: str, namespace: str = "ns") -> dict:
    return {"metadata": {"namespace": namespace, "name": name, "resourceVersion": version}}


def test_a_batch_keeps_the_latest_state_per_key():
    batch, known = EventBatch(), {"ns/a": "1"}
    batch.add("MODIFIED", _p("a", "2"))
    batch.add("MODIFIED", _p("a", "3"))
    batch.add("ADDED", _p("b", "4"))
    events = batch.take(known)
    assert not events.reset
    assert [(pod_key(p), p["metadata"]["resourceVersion"]) for p in events.upserts] == [("ns/a", "3"), ("ns/b", "4")]
    assert known == {"ns/a": "3", "ns/b": "4"}
    assert not batch


def test_a_delete_after_an_upsert_in_the_same_batch_removes_it():
    batch, known = EventBatch(), {"ns/a": "1"}
    batch.add("MODIFIED", _p("a", "2"))
    batch.add("DELETED", _p("a", "3"))
    batch.add("ADDED", _p("new", "4"))
    batch.add("DELETED", _p("new", "5"))  # never shown: nothing to say about it
    events = batch.take(known)
    assert events.upserts == [] and events.deletes == ["ns/a"]
    assert known == {}


def test_a_reset_replaces_everything_and_absorbs_later_events():
    batch, known = EventBatch(), {"ns/ghost": "1", "ns/a": "1"}
    batch.add("MODIFIED", _p("ghost", "2"))
    batch.replace_all([_p("a", "5"), _p("b", "6")])
    batch.add("DELETED", _p("b", "7"))
    batch.add("ADDED", _p("c", "8"))
    events = batch.take(known)
    assert events.reset and events.deletes == []
    assert sorted(pod_key(p) for p in events.upserts) == ["ns/a", "ns/c"]
    assert known == {"ns/a": "5", "ns/c": "8"}


def test_a_replayed_event_is_not_delivered_again():
    batch, known = EventBatch(), {"ns/a": "7"}
    batch.add("MODIFIED", _p("a", "7"))
    assert batch.take(known) is None
