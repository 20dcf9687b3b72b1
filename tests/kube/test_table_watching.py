"""TableWatch against the local API server: server-printed rows of any kind, kept live like pods.

Rows must read as `kubectl get` prints them (same server, same Table), follow adds, changes and
deletions, ignore the namespace for cluster-scoped kinds, keep only owned objects when asked,
re-list after a 410, and report a refusal as an error state in the server's words.
"""

from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager
from typing import Any, Iterator

import pytest
from watch_mirror import Mirror

from kubetui.kube.table_watching import TableWatch
from kubetui.localcluster.cluster.faults import get_faults, set_faults
from kubetui.model.resource_names import ApiResource
from kubetui.model.table_rows import resource_row

CONFIGMAPS = ApiResource("", "v1", "configmaps", "configmap", "ConfigMap", namespaced=True)
NAMESPACES = ApiResource("", "v1", "namespaces", "namespace", "Namespace", namespaced=False)
DEPLOYMENTS = ApiResource("apps", "v1", "deployments", "deployment", "Deployment", namespaced=True)


class TableMirror(Mirror):
    """A Mirror that also remembers the columns of the last batch."""

    columns: tuple = ()

    def on_events(self, events) -> None:
        with self.lock:
            self.columns = events.columns
        super().on_events(events)

    def cells(self, key: str) -> tuple[str, ...]:
        with self.lock:
            return resource_row(self.pods[key], self.columns).cells


@contextmanager
def running(api_client: Any, resource: ApiResource, namespace: str | None, mirror: Mirror,
            **options: Any) -> Iterator[TableWatch]:
    watch = TableWatch(api_client, resource, namespace, on_events=mirror.on_events, on_state=mirror.on_state,
                       batch_interval=0.02, **options)
    thread = threading.Thread(target=watch.run, name="test-table-watch", daemon=True)
    thread.start()
    try:
        yield watch
    finally:
        watch.stop()
        thread.join(10)
        assert not thread.is_alive(), "TableWatch.run() did not return after stop()"


def _configmap(raw, namespace: str, name: str, data: dict | None = None, owner: str | None = None) -> dict:
    metadata: dict = {"name": name}
    if owner:
        metadata["ownerReferences"] = [{"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": owner}]
    return raw.json("POST", f"/api/v1/namespaces/{namespace}/configmaps",
                    {"metadata": metadata, "data": data or {}}, expect=201)


def _patch(raw, path: str, body: dict) -> None:
    status, _, data = raw.request("PATCH", path, body, headers={"Content-Type": "application/merge-patch+json"})
    assert status == 200, data


def _kubectl_rows(kubectl, *args: str) -> dict[str, list[str]]:
    result = kubectl("get", *args)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    return {line.split()[0]: line.split() for line in lines[1:]}


def test_rows_read_as_kubectl_prints_them_and_follow_changes(api_client, raw, kubectl, namespace, wait_for):
    _configmap(raw, namespace, "before", {"a": "1"})
    mirror = TableMirror()
    with running(api_client, CONFIGMAPS, namespace, mirror):
        wait_for(lambda: "live" in mirror.kinds(), message="the watch to go live")
        assert [column.header for column in mirror.columns] == ["NAME", "DATA", "AGE"]
        key = f"{namespace}/before"
        assert mirror.cells(key)[:2] == tuple(_kubectl_rows(kubectl, "configmaps", "-n", namespace)["before"][:2])

        _configmap(raw, namespace, "after", {"x": "1", "y": "2"})
        wait_for(lambda: f"{namespace}/after" in mirror.versions(), message="the ADDED row")
        assert mirror.cells(f"{namespace}/after")[1] == "2"

        _patch(raw, f"/api/v1/namespaces/{namespace}/configmaps/before", {"data": {"b": "2", "c": "3"}})
        wait_for(lambda: mirror.cells(key)[1] == "3", message="the changed DATA cell")
        assert mirror.cells(key)[:2] == tuple(_kubectl_rows(kubectl, "configmaps", "-n", namespace)["before"][:2])

        raw.request("DELETE", f"/api/v1/namespaces/{namespace}/configmaps/after")
        wait_for(lambda: f"{namespace}/after" not in mirror.versions(), message="the deletion")
    assert mirror.resets == 1 and not mirror.unknown_deletes and not mirror.replayed


def test_rows_carry_the_metadata_a_view_needs_and_nothing_else(api_client, raw, namespace, wait_for):
    created = raw.json("POST", f"/api/v1/namespaces/{namespace}/configmaps", {
        "metadata": {"name": "secretish", "labels": {"tier": "web"},
                     "annotations": {"kubectl.kubernetes.io/last-applied-configuration": '{"data":{"password":"x"}}'}},
        "data": {"password": "hunter2"}}, expect=201)
    mirror = TableMirror()
    with running(api_client, CONFIGMAPS, namespace, mirror):
        wait_for(lambda: f"{namespace}/secretish" in mirror.versions())
        item = mirror.pods[f"{namespace}/secretish"]
    row = resource_row(item, mirror.columns)
    assert row.uid == created["metadata"]["uid"] and row.labels == {"tier": "web"} and row.created is not None
    assert "hunter2" not in repr(item) and "annotations" not in item["metadata"]


def test_a_cluster_scoped_kind_ignores_the_namespace(api_client, raw, kubectl, namespace, wait_for):
    mirror = TableMirror()
    with running(api_client, NAMESPACES, "some-namespace", mirror) as watch:
        wait_for(lambda: "live" in mirror.kinds())
        assert watch.path == "/api/v1/namespaces"
        assert f"/{namespace}" in mirror.versions()
        assert mirror.cells(f"/{namespace}")[:2] == tuple(_kubectl_rows(kubectl, "namespaces")[namespace][:2])
        extra = f"t-{uuid.uuid4().hex[:10]}"
        raw.json("POST", "/api/v1/namespaces", {"metadata": {"name": extra}}, expect=201)
        try:
            wait_for(lambda: f"/{extra}" in mirror.versions(), message="the new namespace")
        finally:
            raw.request("DELETE", f"/api/v1/namespaces/{extra}")


def test_the_group_resources_have_their_own_columns(api_client, raw, kubectl, namespace, wait_for):
    raw.json("POST", f"/apis/apps/v1/namespaces/{namespace}/deployments", {
        "metadata": {"name": "web"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}}, expect=201)
    mirror = TableMirror()
    with running(api_client, DEPLOYMENTS, namespace, mirror):
        wait_for(lambda: f"{namespace}/web" in mirror.versions())
        wide = _kubectl_rows(kubectl, "deployments", "-n", namespace, "-o", "wide")["web"]
        headers = kubectl("get", "deployments", "-n", namespace, "-o", "wide").stdout.splitlines()[0]
        assert [column.header for column in mirror.columns] == headers.split()
        cells = mirror.cells(f"{namespace}/web")
        assert [cells[i] for i in (0, 1, 2, 3, 5, 6, 7)] == [wide[i] for i in (0, 1, 2, 3, 5, 6, 7)]


def test_only_owned_objects_are_shown_and_a_disowned_one_leaves(api_client, raw, namespace, wait_for):
    owner = str(uuid.uuid4())
    _configmap(raw, namespace, "mine", owner=owner)
    _configmap(raw, namespace, "theirs", owner=str(uuid.uuid4()))
    _configmap(raw, namespace, "nobodys")
    mirror = TableMirror()
    with running(api_client, CONFIGMAPS, namespace, mirror, owner_uid=owner):
        wait_for(lambda: "live" in mirror.kinds())
        assert set(mirror.versions()) == {f"{namespace}/mine"}
        _configmap(raw, namespace, "mine-too", owner=owner)
        wait_for(lambda: f"{namespace}/mine-too" in mirror.versions(), message="the new owned object")
        _patch(raw, f"/api/v1/namespaces/{namespace}/configmaps/mine", {"metadata": {"ownerReferences": None}})
        wait_for(lambda: set(mirror.versions()) == {f"{namespace}/mine-too"}, message="the orphan to leave")
    assert not mirror.unknown_deletes


def test_a_label_and_a_field_selector_narrow_on_the_server(api_client, raw, namespace, wait_for):
    _configmap(raw, namespace, "a")
    _configmap(raw, namespace, "b")
    mirror = TableMirror()
    with running(api_client, CONFIGMAPS, namespace, mirror, field_selector="metadata.name=b"):
        wait_for(lambda: "live" in mirror.kinds())
        assert set(mirror.versions()) == {f"{namespace}/b"}


def test_an_unknown_resource_is_an_error_state_in_the_servers_words(api_client, namespace, wait_for):
    mirror = TableMirror()
    missing = ApiResource("example.com", "v1", "widgets", "widget", "Widget", namespaced=True)
    with running(api_client, missing, namespace, mirror):
        state = wait_for(lambda: next((s for s in mirror.states if s.kind == "error"), None),
                         message="an error state")
    assert state.error.title == "Not found"
    assert state.error.message.startswith("Error from server (NotFound)")
    assert mirror.batches == 0


@pytest.fixture
def faults_off(cluster):
    yield
    set_faults(cluster, reset=True)


def test_a_410_relists_and_forgets_what_vanished(api_client, raw, cluster, namespace, wait_for, faults_off):
    for name in ("keep", "gone"):
        _configmap(raw, namespace, name)
    mirror = TableMirror()
    with running(api_client, CONFIGMAPS, namespace, mirror):
        wait_for(lambda: "live" in mirror.kinds())
        assert mirror.resets == 1
        before = get_faults(cluster)["stats"]["expired_watches"]
        set_faults(cluster, watch_410=True, drop_watches_every=0.3)
        wait_for(lambda: get_faults(cluster)["stats"]["expired_watches"] > before, timeout=20, message="a 410")
        # Every watch is now answered 410: only a re-list can tell the watcher about this deletion.
        raw.request("DELETE", f"/api/v1/namespaces/{namespace}/configmaps/gone")
        wait_for(lambda: f"{namespace}/gone" not in mirror.versions(), timeout=20, message="the re-list")
        set_faults(cluster, reset=True)
        _configmap(raw, namespace, "new")
        wait_for(lambda: set(mirror.versions()) == {f"{namespace}/keep", f"{namespace}/new"}, timeout=20,
                 message="live again after the faults")
    assert mirror.resets >= 2 and not mirror.unknown_deletes
