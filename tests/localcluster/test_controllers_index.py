"""The controllers' bookkeeping on the loop thread: the ownership index follows the store's
events, and a reconcile queue gives the loop back once its time budget is spent."""

from __future__ import annotations

import asyncio

from kubetui.localcluster.controllers.naming import owner_reference, with_controller
from kubetui.localcluster.controllers.ownership import ControllerIndex
from kubetui.localcluster.controllers.workqueue import ReconcileQueue
from kubetui.localcluster.storage.store import Store


def _pod(name: str, namespace: str = "default", owner: dict | None = None) -> dict:
    meta: dict = {"name": name, "namespace": namespace, "labels": {"app": "web"}}
    if owner is not None:
        meta["ownerReferences"] = [owner_reference(owner, api_version="apps/v1", kind="ReplicaSet")]
    return {"metadata": meta, "spec": {"containers": [{"name": "c", "image": "busybox"}]}}


def _names(objects: list[dict]) -> list[str]:
    return [obj["metadata"]["name"] for obj in objects]


def test_the_index_follows_owners_orphans_and_deletions():
    store = Store()
    for namespace in ("default", "other"):
        store.create("namespaces", {"metadata": {"name": namespace}})
    owner = {"metadata": {"name": "web", "namespace": "default", "uid": "rs-1"}}
    store.create("pods", _pod("b", owner=owner))  # before start: found by the first scan
    index = ControllerIndex(store, "pods")
    index.start()
    store.create("pods", _pod("a", owner=owner))
    store.create("pods", _pod("c"))
    store.create("pods", _pod("d", namespace="other"))
    store.create("pods", _pod("e", namespace="other", owner=owner))  # same uid, other namespace
    assert _names(index.controlled_by(owner)) == ["a", "b"]
    assert _names(index.claim_candidates(owner)) == ["a", "b", "c"]

    released = store.update("pods", with_controller(store.get("pods", "default", "a"), None))
    assert _names(index.controlled_by(owner)) == ["b"]
    store.update("pods", with_controller(store.get("pods", "default", "c"),
                                         owner_reference(owner, api_version="apps/v1", kind="ReplicaSet")))
    store.delete("pods", "default", "b")
    assert _names(index.controlled_by(owner)) == ["c"]
    assert _names(index.claim_candidates(owner)) == ["a", "c"]
    assert index.claim_candidates(owner)[0] is released  # the store's current version

    index.stop()
    store.create("pods", _pod("f", owner=owner))
    assert _names(index.controlled_by(owner)) == ["c"]


def test_a_drain_yields_to_the_loop_once_its_budget_is_spent():
    async def scenario() -> list[list[str]]:
        done: list[str] = []
        queue = ReconcileQueue(asyncio.get_running_loop(), lambda key: done.append(key), "test", budget=0.0)
        for key in ("a", "b", "c"):
            queue.add(key)
        rounds = []
        while len(done) < 3:
            await asyncio.sleep(0)  # one pass of the loop: other callbacks run between keys
            rounds.append(list(done))
            queue.add("a")  # already reconciled once: goes after the keys still waiting
        return rounds

    assert asyncio.run(scenario()) == [["a"], ["a", "b"], ["a", "b", "c"]]
