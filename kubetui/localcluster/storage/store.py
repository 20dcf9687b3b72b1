"""The in-memory object store behind the local API server.

Threading: the store is synchronous and NOT thread-safe. Call it only on the server's asyncio
loop thread (HTTP handlers, the simulated kubelet, controllers), or from another thread through
`LocalCluster.call(fn, ...)`. Nothing in it awaits, so a method call is atomic for every watcher.

Key decisions:
* Stored objects are immutable snapshots. `get`/`list` return the stored dicts themselves (no
  copies: a list of 10,000 pods is serialized straight from them); callers deep-copy before
  changing anything, and every write stores a fresh dict.
* One global resourceVersion counter. Each committed change is recorded in a bounded per-type
  window (watch resume, 410 Expired), fanned out to watchers, then passed to listeners, in
  resourceVersion order even when a listener writes from inside its callback.
* Pods bound to a node are deleted gracefully: `deletionTimestamp` first (MODIFIED), removal
  when the kubelet calls `finalize_delete`. Everything else goes at once, unless it has
  finalizers. Owner-reference garbage collection belongs to a listener on DELETED; set
  `propagation_finalizers = True` when such a collector exists, so Orphan/Foreground deletes get
  the real `orphan`/`foregroundDeletion` finalizers (without one they behave like Background).
"""

from __future__ import annotations

import bisect
import logging
import random
import uuid
from collections import deque
from typing import Any, Callable, Iterator

import orjson

from kubetui.localcluster.apimachinery import errors, objectmeta
from kubetui.localcluster.storage.changes import ADDED, DELETED, MODIFIED, Change, ChangeLog, Watcher
from kubetui.localcluster.apimachinery.clock import Clock, rfc3339, utc_now
from kubetui.localcluster.storage.deletion import Deletion
from kubetui.localcluster.storage.listing import Page, page_of, selector_objects
from kubetui.localcluster.apimachinery.managed_fields import record_update, server_side_apply
from kubetui.localcluster.apimachinery.objectmeta import json_copy
from kubetui.localcluster.apimachinery.patch_bodies import apply_patch_body, parse_apply_body
from kubetui.localcluster.registry.resources import ResourceRegistry, ResourceType, default_registry
from kubetui.localcluster.apimachinery.typed_patch import check_apply_config
from kubetui.localcluster.validation.objects import validate
from kubetui.localcluster.validation.ephemeral import set_on_create, validate_ephemeral_update
from kubetui.localcluster.validation.update import prepare_update, validate_update

log = logging.getLogger(__name__)
Listener = Callable[[str, str, dict], None]
Key = tuple[str, str]


class Store(Deletion):
    def __init__(self, registry: ResourceRegistry | None = None, *, window: int = 10_000,
                 retention: float = 300.0, clock: Clock = utc_now,
                 rng: random.Random | None = None) -> None:
        self.registry = registry or default_registry()
        self.clock = clock
        self.changes = ChangeLog(window, retention)
        self.propagation_finalizers = False
        self._rng = rng or random.Random()
        self._rv = 0
        self._objects: dict[str, dict[Key, dict]] = {}
        self._keys: dict[str, list[Key]] = {}
        self._listeners: list[Listener] = []
        self._notices: deque[Change] = deque()
        self._notifying = False
        self._addresses = objectmeta.ServiceAddresses()
        self._encoded: dict[int, bytes] = {}  # id(stored object) -> its JSON, while stored

    # ----------------------------------------------------------------- reads
    @property
    def resource_version(self) -> int:
        return self._rv

    def resource(self, plural: str) -> ResourceType:
        resource = self.registry.get(plural)
        if resource is None:
            raise errors.path_not_found()
        return resource

    def get(self, plural: str, namespace: str | None, name: str) -> dict | None:
        """The stored object (do not mutate it), or None."""
        return self._table(plural).get((namespace or "", name))

    def encoded(self, plural: str, obj: dict) -> bytes:
        """The object's JSON. Cached while `obj` is the stored version (stored objects never
        change), so a list of 10,000 pods joins bytes instead of serializing them again."""
        data = self._encoded.get(id(obj))
        if data is not None:
            return data
        data = orjson.dumps(obj)
        meta = obj.get("metadata") or {}
        if self._table(plural).get((meta.get("namespace", ""), meta.get("name"))) is obj:
            self._encoded[id(obj)] = data
        return data

    def count(self, plural: str) -> int:
        return len(self._table(plural))

    def list(self, plural: str, namespace: str | None = None, label_selector: Any = None,
             field_selector: Any = None) -> tuple[list[dict], int]:
        """Stored objects sorted by namespace/name, and the current resourceVersion."""
        labels, fields = selector_objects(label_selector, field_selector)
        return [obj for obj in self.scan(plural, namespace)
                if _selected(obj, labels, fields)], self._rv

    def list_page(self, plural: str, namespace: str | None = None, label_selector: Any = None,
                  field_selector: Any = None, limit: int = 0, continue_token: str = "") -> Page:
        """One page of a list, as the HTTP list verb answers it (limit / continue)."""
        return page_of(self, plural, namespace, label_selector, field_selector, limit, continue_token)

    def scan(self, plural: str, namespace: str | None = None,
             after: Key | None = None) -> Iterator[dict]:
        """Stored objects in key order, optionally of one namespace, after a key. Do not write
        to the store while iterating (take a list first)."""
        keys, table = self._keys.get(plural, []), self._table(plural)
        if namespace:
            start = bisect.bisect_left(keys, (namespace, ""))
            stop = bisect.bisect_left(keys, (namespace + "\0", ""))
        else:
            start, stop = 0, len(keys)
        if after is not None:
            start = max(start, bisect.bisect_right(keys, after))
        for index in range(start, stop):
            yield table[keys[index]]

    def remaining_after(self, plural: str, namespace: str | None, after: Key) -> int:
        keys = self._keys.get(plural, [])
        stop = bisect.bisect_left(keys, (namespace + "\0", "")) if namespace else len(keys)
        return max(0, stop - bisect.bisect_right(keys, after))

    def watch(self, plural: str, namespace: str | None = None, label_selector: Any = None,
              field_selector: Any = None,
              resource_version: str | int | None = None) -> tuple[Watcher, list[Change]]:
        """Subscribe, and return the events owed first: synthetic ADDED for the current state
        when `resource_version` is None/""/"0", else the recorded changes after it. Raises
        changes.TooOldResourceVersion when those changes have left the window."""
        self.resource(plural)
        labels, fields = selector_objects(label_selector, field_selector)
        watcher = Watcher(plural, namespace, labels, fields)
        if resource_version in (None, "", "0", 0):
            initial = [Change(int(obj["metadata"]["resourceVersion"]), ADDED, plural, obj, None)
                       for obj in self.scan(plural, namespace) if watcher.selects(obj)]
        else:
            initial = []
            for change in self.changes.since(plural, int(resource_version)):
                seen = watcher.visible(change)
                if seen is not None:
                    initial.append(seen)
        self.changes.subscribe(watcher)
        return watcher, initial

    def unwatch(self, watcher: Watcher) -> None:
        self.changes.unsubscribe(watcher)

    def add_listener(self, listener: Listener) -> None:
        """`listener(event_type, plural, obj)` after every committed change, on the loop thread."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    # ---------------------------------------------------------------- writes
    def create(self, plural: str, obj: dict, *, dry_run: bool = False,
               manager: str | None = None) -> dict:
        resource = self.resource(plural)
        if not isinstance(obj, dict):
            raise errors.bad_request("the request body must be a JSON object")
        return self._create(resource, json_copy(obj), manager=manager, dry_run=dry_run)

    def update(self, plural: str, obj: dict, *, subresource: str | None = None,
               dry_run: bool = False, manager: str | None = None) -> dict:
        resource = self.resource(plural)
        if not isinstance(obj, dict):
            raise errors.bad_request("the request body must be a JSON object")
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        live = self._require(resource, meta.get("namespace"), meta.get("name") or "")
        wanted_rv = meta.get("resourceVersion")
        if wanted_rv and wanted_rv != live["metadata"]["resourceVersion"]:
            raise errors.conflict(resource.plural, live["metadata"]["name"], group=resource.group)
        new = self._candidate(resource, live, obj, subresource)
        return self._replace(resource, live, new, manager=manager, dry_run=dry_run,
                             subresource=subresource or "")

    def write_status(self, plural: str, live: dict, status: dict, *, manager: str) -> dict:
        """A controller's status write: `live`, which must be the stored version, with `status`
        in place of its own. For in-process controllers only: unlike `update(subresource=
        "status")` nothing else is copied, defaulted or validated again (only the status and
        the metadata change, and the controller computed the status); managedFields, the new
        resourceVersion, the watch event and the listeners are as for any write."""
        resource = self.resource(plural)
        meta = live["metadata"]
        if self.get(plural, meta.get("namespace"), meta["name"]) is not live:
            raise errors.conflict(resource.plural, meta["name"], group=resource.group)
        if status == live.get("status"):
            return live
        new = dict(live)
        new["metadata"] = dict(meta)
        new["status"] = json_copy(status)
        self._record_update(resource, live, new, manager, "status")
        self._commit(resource, MODIFIED, new, live)
        return new

    def patch(self, plural: str, namespace: str | None, name: str, body: Any,
              content_type: str, *, subresource: str | None = None, manager: str | None = None,
              force: bool = False, dry_run: bool = False,
              decode_check: Callable[[dict], None] | None = None) -> tuple[dict, bool]:
        """Apply a merge / strategic / JSON / apply patch. Returns (object, created).
        `decode_check(patched)` may refuse the result of a non-apply patch (schema.py)."""
        resource = self.resource(plural)
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type == "application/apply-patch+yaml":
            return self._apply(resource, namespace, name, body, subresource=subresource,
                               manager=manager, force=force, dry_run=dry_run)
        live = self._require(resource, namespace, name)
        patched = apply_patch_body(live, body, media_type)  # returns a fresh dict
        if decode_check is not None:  # the patched object must decode, as a created one must (schema.py)
            decode_check(patched)
        patched_rv = (patched.get("metadata") or {}).get("resourceVersion")
        if patched_rv and patched_rv != live["metadata"]["resourceVersion"]:
            raise errors.conflict(resource.plural, name, group=resource.group)
        new = self._candidate(resource, live, patched, subresource)
        return self._replace(resource, live, new, manager=manager, dry_run=dry_run,
                             subresource=subresource or ""), False

    def bind(self, namespace: str, name: str, node: str, annotations: dict | None = None) -> dict:
        """Bind a pending pod to a node like the binding subresource: no generation bump."""
        from kubetui.localcluster.apiserver.binding import bind_pod

        return bind_pod(self, namespace, name, node, annotations)

    def insert_prepared(self, plural: str, obj: dict) -> dict:
        """Commit `obj` as ADDED with no defaulting, validation or managedFields, taking
        ownership of the dict: for bulk loads that must be fast (10,000 synthetic pods, see
        synthetic.py), whose builder produces complete, valid objects. Like create it sets uid,
        creationTimestamp and generation, and refuses a name that exists."""
        resource = self.resource(plural)
        meta = obj["metadata"]
        namespace = meta.get("namespace", "") if resource.namespaced else ""
        if self.get(plural, namespace, meta["name"]) is not None:
            raise errors.already_exists(resource.plural, meta["name"], resource.group)
        obj["apiVersion"], obj["kind"] = resource.api_version, resource.kind
        meta["uid"] = str(uuid.uuid4())
        meta["creationTimestamp"] = rfc3339(self.clock())
        if resource.has_generation:
            meta["generation"] = 1
        self._commit(resource, ADDED, obj, None)
        return obj

    # ------------------------------------------------------------- internals
    def _table(self, plural: str) -> dict[Key, dict]:
        table = self._objects.get(plural)
        if table is None:
            table = self._objects[plural] = {}
            self._keys[plural] = []
        return table

    def _require(self, resource: ResourceType, namespace: str | None, name: str) -> dict:
        live = self.get(resource.plural, namespace if resource.namespaced else "", name)
        if live is None:
            raise errors.not_found(resource.plural, name, resource.group)
        return live

    def _candidate(self, resource: ResourceType, live: dict, incoming: dict,
                   subresource: str | None) -> dict:
        """The object an update/patch proposes: the main resource keeps the live status, the
        status subresource changes only status."""
        if subresource == "status":
            # Hot path (kubelet status writes): copy what changes; spec and the rest stay
            # shared with the immutable live snapshot (defaulting them again is a no-op).
            new = dict(live)
            new["metadata"] = json_copy(live["metadata"])
            new["status"] = json_copy(incoming.get("status") or {})
            return new
        if subresource == "ephemeralcontainers":  # only spec.ephemeralContainers may change
            new = json_copy(live)
            wanted = (incoming.get("spec") or {}).get("ephemeralContainers") \
                if isinstance(incoming.get("spec"), dict) else None
            new.setdefault("spec", {}).pop("ephemeralContainers", None)
            if wanted:
                new["spec"]["ephemeralContainers"] = json_copy(wanted)
            return new
        if subresource:
            raise errors.path_not_found()
        new = json_copy(incoming)
        if resource.has_status:
            if "status" in live:
                new["status"] = json_copy(live["status"])
            else:
                new.pop("status", None)
        return new

    def _namespace_for_create(self, resource: ResourceType, meta: dict) -> str:
        if not resource.namespaced:
            meta.pop("namespace", None)
            return ""
        namespace = meta.get("namespace") or "default"
        meta["namespace"] = namespace
        owner = self.get("namespaces", "", namespace)
        if owner is None:
            raise errors.not_found("namespaces", namespace)
        if owner["metadata"].get("deletionTimestamp"):
            raise errors.forbidden(
                resource.plural, meta.get("name") or "",
                f"unable to create new content in namespace {namespace} because it is being terminated",
                resource.group)
        return namespace

    def _create(self, resource: ResourceType, new: dict, *, manager: str | None, dry_run: bool,
                applied: bool = False) -> dict:
        new["apiVersion"], new["kind"] = resource.api_version, resource.kind
        if not isinstance(new.get("metadata"), dict):
            new["metadata"] = {}
        meta = new["metadata"]
        if meta.get("resourceVersion"):
            raise errors.ApiError(500, "InternalError",
                                  "resourceVersion should not be set on objects to be created")
        namespace = self._namespace_for_create(resource, meta)
        if not meta.get("name") and isinstance(meta.get("generateName"), str):
            meta["name"] = objectmeta.generated_name(
                meta["generateName"], self._rng,
                lambda candidate: self.get(resource.plural, namespace, candidate) is not None)
        for key in objectmeta.SERVER_SET_METADATA:
            meta.pop(key, None)
        if resource.resets_status_on_create:
            new.pop("status", None)
        if resource.defaulter:
            resource.defaulter(new)
        if resource.plural == "services":
            self._addresses.assign(new)
        now = rfc3339(self.clock())
        meta["uid"] = str(uuid.uuid4())
        meta["creationTimestamp"] = now
        if resource.has_generation:
            meta["generation"] = 1
        if resource.prepare_create:
            resource.prepare_create(new)
        if not applied:
            meta.pop("managedFields", None)  # ownership starts with this create
            if manager:
                record_update(None, new, manager=manager, operation="Update", now=now,
                              api_version=resource.api_version)
        self._validate(resource, new)
        name = meta["name"]
        if self.get(resource.plural, namespace, name) is not None:
            raise errors.already_exists(resource.plural, name, resource.group)
        if dry_run:
            return new
        if resource.plural == "services":
            self._addresses.reserve(new)
        self._commit(resource, ADDED, new, None)
        return new

    def _replace(self, resource: ResourceType, live: dict, new: dict, *, manager: str | None,
                 dry_run: bool, subresource: str = "", applied: bool = False) -> dict:
        """Store `new` (a private dict) in place of `live`; a no-op write returns `live`."""
        new["apiVersion"], new["kind"] = resource.api_version, resource.kind
        if not isinstance(new.get("metadata"), dict):
            new["metadata"] = {}
        meta, live_meta = new["metadata"], live["metadata"]
        for key in ("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp",
                    "deletionGracePeriodSeconds", "generation"):
            if key in live_meta:
                meta[key] = live_meta[key]
            else:
                meta.pop(key, None)
        meta["resourceVersion"] = live_meta["resourceVersion"]
        if resource.defaulter:
            resource.defaulter(new)
        if not subresource:
            prepare_update(resource.kind, live, new)
        if resource.has_generation and objectmeta.spec_changed(live, new):
            meta["generation"] = live_meta.get("generation", 0) + 1
        if manager and not applied:
            self._record_update(resource, live, new, manager, subresource)
        self._validate(resource, new, live, subresource)
        if objectmeta.same_content(live, new):
            return live
        if dry_run:
            return new
        if meta.get("deletionTimestamp") and not meta.get("finalizers") and (
                not resource.graceful_delete or meta.get("deletionGracePeriodSeconds") == 0):
            return self._remove(resource, new)
        self._commit(resource, MODIFIED, new, live)
        return new

    def _record_update(self, resource: ResourceType, live: dict, new: dict, manager: str,
                       subresource: str) -> None:
        """managedFields for a non-apply write. Like the real server, managedFields sent in a PUT
        are taken as the starting point; unreadable ones are replaced by the live ones."""
        now = rfc3339(self.clock())
        if subresource == "status":
            # Only status fields are tracked for the status subresource, and nothing else
            # changed (see _candidate): compare just that part, the kubelet's hot path.
            old_view, new_view = _status_view(live), _status_view(new)
            record_update(old_view, new_view, manager=manager, operation="Update", now=now,
                          api_version=resource.api_version, subresource=subresource)
            managed = new_view["metadata"].get("managedFields")
            new["metadata"].pop("managedFields", None)
            if managed:
                new["metadata"]["managedFields"] = managed
            return
        try:
            record_update(live, new, manager=manager, operation="Update", now=now,
                          api_version=resource.api_version, subresource=subresource)
        except (TypeError, ValueError, AttributeError, KeyError):
            new["metadata"]["managedFields"] = json_copy(
                live["metadata"].get("managedFields") or [])
            record_update(live, new, manager=manager, operation="Update", now=now,
                          api_version=resource.api_version, subresource=subresource)

    def _apply(self, resource: ResourceType, namespace: str | None, name: str, body: Any, *,
               subresource: str | None, manager: str | None, force: bool,
               dry_run: bool) -> tuple[dict, bool]:
        if not manager:
            raise errors.invalid("PatchOptions", "", [{
                "reason": "FieldValueRequired", "field": "fieldManager",
                "message": "Required value: is required for apply patch"}], group="meta.k8s.io")
        config = parse_apply_body(body)
        # the typed conversion of the apply configuration (typed_patch.py), as the apiserver does it
        check_apply_config(resource.api_version, resource.kind, config)
        meta = config.get("metadata") if isinstance(config.get("metadata"), dict) else {}
        _check_url_identity(resource, meta, namespace, name)
        live = self.get(resource.plural, namespace if resource.namespaced else "", name)
        if live is None and subresource:
            raise errors.not_found(resource.plural, name, resource.group)
        merged = server_side_apply(live, config, manager=manager, force=force,
                                   now=rfc3339(self.clock()), api_version=resource.api_version,
                                   subresource=subresource or "")
        if live is None:
            merged.setdefault("metadata", {}).update(name=name)
            if resource.namespaced:
                merged["metadata"]["namespace"] = namespace
            return self._create(resource, merged, manager=manager, dry_run=dry_run,
                                applied=True), True
        new = self._candidate(resource, live, merged, subresource)
        managed = (merged.get("metadata") or {}).get("managedFields")
        new["metadata"].pop("managedFields", None)
        if managed:
            new["metadata"]["managedFields"] = managed
        return self._replace(resource, live, new, manager=manager, dry_run=dry_run,
                             applied=True), False

    def _validate(self, resource: ResourceType, obj: dict, old: dict | None = None,
                  subresource: str = "") -> None:
        """Create-time checks, and for an update of the object itself what may not change."""
        if old is None:
            causes = validate(resource.kind, obj) + set_on_create(resource.kind, obj)
        elif subresource == "ephemeralcontainers":
            causes = validate(resource.kind, obj) + validate_ephemeral_update(old, obj)
        elif subresource:
            causes = validate(resource.kind, obj)
        else:
            causes = validate_update(resource.kind, old, obj)
        if causes:
            raise errors.invalid(resource.kind, str(obj["metadata"].get("name") or ""), causes,
                                 resource.group)

    def _commit(self, resource: ResourceType, event_type: str, obj: dict,
                old: dict | None) -> None:
        """Store `obj` (a fresh dict nobody else holds yet) under a new resourceVersion."""
        self._rv += 1
        obj["metadata"]["resourceVersion"] = str(self._rv)
        plural = resource.plural
        key = (obj["metadata"].get("namespace", "") if resource.namespaced else "",
               obj["metadata"]["name"])
        table, keys = self._table(plural), self._keys[plural]
        replaced = table.get(key)
        if replaced is not None:
            self._encoded.pop(id(replaced), None)
        if event_type == DELETED:
            del table[key]
            del keys[bisect.bisect_left(keys, key)]
        else:
            if key not in table:
                bisect.insort(keys, key)
            table[key] = obj
        change = Change(self._rv, event_type, plural, obj, old)
        self.changes.record(change)
        self._notify(change)

    def _notify(self, change: Change) -> None:
        if not self._listeners:
            return
        self._notices.append(change)
        if self._notifying:
            return  # the outer call delivers it, after the changes before it
        self._notifying = True
        try:
            while self._notices:
                pending = self._notices.popleft()
                for listener in tuple(self._listeners):
                    try:
                        listener(pending.type, pending.plural, pending.obj)
                    except Exception:  # a listener's bug must not undo a committed write
                        log.exception("store listener %r failed on %s %s", listener,
                                      pending.type, pending.plural)
        finally:
            self._notifying = False


def _status_view(obj: dict) -> dict:
    view = {"apiVersion": obj.get("apiVersion"), "kind": obj.get("kind"),
            "metadata": {"managedFields": obj["metadata"].get("managedFields") or []}}
    if "status" in obj:
        view["status"] = obj["status"]
    return view


def _selected(obj: dict, labels: Any, fields: Any) -> bool:
    if labels is not None and not labels.matches(obj["metadata"].get("labels") or {}):
        return False
    return fields is None or fields.matches(obj)


def _check_url_identity(resource: ResourceType, meta: dict, namespace: str | None,
                        name: str) -> None:
    body_name = meta.get("name")
    if body_name and body_name != name:
        raise errors.bad_request(
            f"the name of the object ({body_name}) does not match the name on the URL ({name})")
    body_namespace = meta.get("namespace")
    if resource.namespaced and body_namespace and namespace and body_namespace != namespace:
        raise errors.bad_request(
            "the namespace of the provided object does not match the namespace sent on the request")
