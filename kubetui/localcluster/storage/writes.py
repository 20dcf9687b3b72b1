"""The write verbs of the store: create, update, patch (merge, strategic, JSON and server-side
apply), controllers' status writes, and bulk inserts. This is the registry's write path:
defaulting, validation, generation, managedFields, then the store's one `_commit`.

Key decisions: every write builds a fresh dict and never touches the stored snapshot; a write
that changes nothing returns the live object and commits nothing (no new resourceVersion, no
event); managedFields sent in a PUT are the starting point, as on the real server. This is a
mixin of `Store`: it uses the store's `_commit`, `_require`, `_remove`, `get` and `resource`.
"""

from __future__ import annotations

import uuid
from typing import Any, Callable

from kubetui.localcluster.apimachinery import errors, objectmeta
from kubetui.localcluster.apimachinery.clock import rfc3339
from kubetui.localcluster.apimachinery.managed_fields import record_update, server_side_apply
from kubetui.localcluster.apimachinery.objectmeta import json_copy
from kubetui.localcluster.apimachinery.patch_bodies import apply_patch_body, parse_apply_body
from kubetui.localcluster.apimachinery.typed_patch import check_apply_config
from kubetui.localcluster.registry.resources import ResourceType
from kubetui.localcluster.storage.changes import ADDED, MODIFIED
from kubetui.localcluster.validation.ephemeral import set_on_create, validate_ephemeral_update
from kubetui.localcluster.validation.objects import validate
from kubetui.localcluster.validation.update import prepare_update, validate_update


class Writes:
    """Create, update and patch verbs of the Store (mixed in; not used on its own)."""

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
        elif subresource == "status":
            # Only the status changed (`_candidate` keeps the stored metadata and spec, which
            # were checked when written), and the status checks of the real server are not ported:
            # on the kubelet's hot path there is nothing to check again.
            causes = []
        elif subresource == "ephemeralcontainers":
            causes = validate(resource.kind, obj) + validate_ephemeral_update(old, obj)
        elif subresource:
            causes = validate(resource.kind, obj)
        else:
            causes = validate_update(resource.kind, old, obj)
        if causes:
            raise errors.invalid(resource.kind, str(obj["metadata"].get("name") or ""), causes,
                                 resource.group)


def _status_view(obj: dict) -> dict:
    view = {"apiVersion": obj.get("apiVersion"), "kind": obj.get("kind"),
            "metadata": {"managedFields": obj["metadata"].get("managedFields") or []}}
    if "status" in obj:
        view["status"] = obj["status"]
    return view


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
