"""ScopedPodWatch: the pods of one node (field selector on the server), of one owner (uid in
ownerReferences), or one pod by name, kept live with PodWatch's guarantees."""

from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager

from watch_mirror import Mirror

from kubetui.kube.pod_scopes import ScopedPodWatch
from tests.support.pods import pod_manifest


@contextmanager
def running(api_client, namespace, mirror, **options):
    watch = ScopedPodWatch(api_client, namespace, on_events=mirror.on_events, on_state=mirror.on_state,
                           batch_interval=0.02, **options)
    thread = threading.Thread(target=watch.run, daemon=True)
    thread.start()
    try:
        yield watch
    finally:
        watch.stop()
        thread.join(10)
        assert not thread.is_alive()


def _pod(raw, namespace, name, *, node=None, owner=None):
    owned = {"ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": owner,
                                  "controller": True}]} if owner else None
    raw.create_pod(namespace, pod_manifest(name, node=node, metadata=owned))


def test_the_pods_of_one_node_across_namespaces(api_client, raw, namespace, wait_for):
    node = f"node-{uuid.uuid4().hex[:6]}"
    _pod(raw, namespace, "here", node=node)
    _pod(raw, namespace, "elsewhere", node="another-node")
    mirror = Mirror()
    with running(api_client, None, mirror, field_selector=f"spec.nodeName={node}"):
        wait_for(lambda: "live" in mirror.kinds())
        assert set(mirror.versions()) == {f"{namespace}/here"}
        _pod(raw, namespace, "later", node=node)
        wait_for(lambda: f"{namespace}/later" in mirror.versions(), message="the new pod on the node")
        assert f"{namespace}/elsewhere" not in mirror.versions()


def test_the_pods_of_one_owner(api_client, raw, namespace, wait_for):
    owner = str(uuid.uuid4())
    _pod(raw, namespace, "child", owner=owner)
    _pod(raw, namespace, "stranger", owner=str(uuid.uuid4()))
    mirror = Mirror()
    with running(api_client, namespace, mirror, owner_uid=owner):
        wait_for(lambda: "live" in mirror.kinds())
        assert set(mirror.versions()) == {f"{namespace}/child"}
        raw.request("DELETE", f"/api/v1/namespaces/{namespace}/pods/child?gracePeriodSeconds=0")
        wait_for(lambda: not mirror.versions(), message="the deleted child to leave")
    assert not mirror.unknown_deletes


def test_one_pod_by_name(api_client, raw, namespace, wait_for):
    _pod(raw, namespace, "one")
    _pod(raw, namespace, "two")
    mirror = Mirror()
    with running(api_client, namespace, mirror, field_selector="metadata.name=two"):
        wait_for(lambda: "live" in mirror.kinds())
        assert set(mirror.versions()) == {f"{namespace}/two"}
