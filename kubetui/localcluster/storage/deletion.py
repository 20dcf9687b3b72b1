"""Deleting objects: graceful pod deletion, finalizers, and the namespace lifecycle.

Key decisions: a pod bound to a node gets `deletionTimestamp` + `deletionGracePeriodSeconds`
(a MODIFIED event) and stays until `finalize_delete` (the kubelet, after the grace period); a
pod not bound to a node, a finished pod, a zero grace period, and every other kind go at once
(DELETED). Finalizers keep an object until an update empties them. Deleting a namespace marks
it Terminating, deletes its content, and removes it once it is empty, like the namespace
controller. This is a mixin of `Store`: it uses the store's `_commit`, `_require`, `get`, `scan`.
"""

from __future__ import annotations

from datetime import timedelta

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.storage.changes import DELETED, MODIFIED, with_resource_version
from kubetui.localcluster.apimachinery.clock import rfc3339
from kubetui.localcluster.apimachinery.objectmeta import json_copy
from kubetui.localcluster.registry.resources import ResourceType


class Deletion:
    """Delete verbs of the Store (mixed in; not used on its own)."""

    def delete(self, plural: str, namespace: str | None, name: str, *,
               grace_period_seconds: int | None = None, propagation: str = "Background",
               dry_run: bool = False, preconditions: dict | None = None) -> dict:
        """Delete (gracefully for bound pods); returns the object as it now is or was last."""
        return self.delete_outcome(plural, namespace, name, grace_period_seconds=grace_period_seconds,
                                   propagation=propagation, dry_run=dry_run,
                                   preconditions=preconditions)[0]

    def delete_outcome(self, plural: str, namespace: str | None, name: str, *,
                       grace_period_seconds: int | None = None, propagation: str = "Background",
                       dry_run: bool = False,
                       preconditions: dict | None = None) -> tuple[dict, bool]:
        """Like delete(); also says whether the object is gone (False: it is terminating)."""
        resource = self.resource(plural)
        live = self._require(resource, namespace, name)
        _check_preconditions(resource, live, preconditions or {})
        meta = live["metadata"]
        if resource.plural == "namespaces":
            return self._delete_namespace(live, dry_run)
        grace = _grace_period(resource, live, grace_period_seconds)
        if meta.get("deletionTimestamp"):
            return self._delete_again(resource, live, grace, dry_run)
        finalizers = list(meta.get("finalizers") or [])
        extra = {"Orphan": "orphan", "Foreground": "foregroundDeletion"}.get(propagation or "")
        if self.propagation_finalizers and extra and extra not in finalizers:
            finalizers.append(extra)
        if grace == 0 and not finalizers:
            return (live, True) if dry_run else (self._remove(resource, live), True)
        new = json_copy(live)
        new_meta = new["metadata"]
        new_meta["deletionTimestamp"] = rfc3339(self.clock() + timedelta(seconds=grace))
        new_meta["deletionGracePeriodSeconds"] = grace
        if finalizers:
            new_meta["finalizers"] = finalizers
        if "generation" in new_meta:
            new_meta["generation"] += 1
        if dry_run:
            return new, False
        self._commit(resource, MODIFIED, new, live)
        return new, False

    def finalize_delete(self, plural: str, namespace: str | None, name: str) -> None:
        """Really remove a terminating object (the kubelet, after the grace period). With
        finalizers left it only records that the grace period is over; gone already: no-op."""
        resource = self.resource(plural)
        live = self.get(plural, namespace, name)
        if live is None:
            return
        meta = live["metadata"]
        if meta.get("finalizers"):
            if meta.get("deletionGracePeriodSeconds") != 0:
                new = json_copy(live)
                new["metadata"]["deletionGracePeriodSeconds"] = 0
                new["metadata"].setdefault("deletionTimestamp", rfc3339(self.clock()))
                self._commit(resource, MODIFIED, new, live)
            return
        self._remove(resource, live)

    def _delete_again(self, resource: ResourceType, live: dict, grace: int,
                      dry_run: bool) -> tuple[dict, bool]:
        """A delete of an object already terminating: it may only shorten the grace period."""
        meta = live["metadata"]
        current = meta.get("deletionGracePeriodSeconds") or 0
        if not resource.graceful_delete or grace >= current:
            return live, False
        if grace == 0 and not meta.get("finalizers"):
            return (live, True) if dry_run else (self._remove(resource, live), True)
        new = json_copy(live)
        new["metadata"]["deletionGracePeriodSeconds"] = grace
        new["metadata"]["deletionTimestamp"] = rfc3339(self.clock() + timedelta(seconds=grace))
        if not dry_run:
            self._commit(resource, MODIFIED, new, live)
        return new, False

    def _delete_namespace(self, live: dict, dry_run: bool) -> tuple[dict, bool]:
        """Namespace lifecycle: Terminating, delete its content, remove it once empty."""
        resource = self.resource("namespaces")
        if live["metadata"].get("deletionTimestamp"):
            return live, False
        new = json_copy(live)
        new["metadata"]["deletionTimestamp"] = rfc3339(self.clock())
        new["metadata"]["deletionGracePeriodSeconds"] = 0
        new.setdefault("status", {})["phase"] = "Terminating"
        if dry_run:
            return new, False
        self._commit(resource, MODIFIED, new, live)
        name = live["metadata"]["name"]
        for plural in [r.plural for r in self.registry if r.namespaced]:
            for obj in list(self.scan(plural, name)):
                if not obj["metadata"].get("deletionTimestamp"):
                    self.delete_outcome(plural, name, obj["metadata"]["name"])
        self._finish_namespace(name)
        current = self.get("namespaces", "", name)
        return (current, False) if current is not None else (new, True)

    def _namespace_empty(self, namespace: str) -> bool:
        return all(next(self.scan(r.plural, namespace), None) is None
                   for r in self.registry if r.namespaced)

    def _finish_namespace(self, namespace: str) -> None:
        owner = self.get("namespaces", "", namespace)
        if owner is None or not owner["metadata"].get("deletionTimestamp"):
            return
        if self._namespace_empty(namespace):
            self._remove(self.resource("namespaces"), owner)

    def _remove(self, resource: ResourceType, live: dict) -> dict:
        gone = with_resource_version(live, self._rv + 1)
        self._commit(resource, DELETED, gone, live)
        if resource.plural == "services":
            self._addresses.release(live)
        if resource.namespaced:
            self._finish_namespace(live["metadata"].get("namespace", ""))
        return gone


def _grace_period(resource: ResourceType, live: dict, requested: int | None) -> int:
    """Pods on a node get a grace period; unbound or finished pods and other kinds go at once."""
    if not resource.graceful_delete:
        return 0
    spec, status = live.get("spec") or {}, live.get("status") or {}
    if not spec.get("nodeName") or status.get("phase") in ("Succeeded", "Failed"):
        return 0
    if requested is None:
        requested = spec.get("terminationGracePeriodSeconds", 30)
    return max(int(requested), 0)


def _check_preconditions(resource: ResourceType, live: dict, preconditions: dict) -> None:
    meta = live["metadata"]
    for field, label in (("uid", "UID"), ("resourceVersion", "ResourceVersion")):
        wanted = preconditions.get(field)
        if wanted and wanted != meta.get(field):
            raise errors.conflict(
                resource.plural, meta["name"],
                f"Precondition failed: {label} in precondition: {wanted}, "
                f"{label} in object meta: {meta.get(field)}", resource.group)
