"""Server-side apply and `metadata.managedFields` bookkeeping.

Follows structured-merge-diff's Updater: apply = merge the configuration into the live
object, prune what this manager applied last time and nobody owns any more, then hand
changed fields over from other managers (or fail with the apiserver's conflict error).
Plain writes (POST/PUT/patches) go through `record_update`, which gives the writer the
fields it added or changed. Key decision: ownership is kept as sets of FieldsV1 paths
(see `fieldsets`), so the stored `managedFields` are byte-for-byte the real format.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

from kubetui.localcluster.apimachinery import fieldsets
from kubetui.localcluster.apimachinery.errors import ApiError, bad_request
from kubetui.localcluster.apimachinery.kubetypes import root_type
from kubetui.model.go_quote import go_quote

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_META = "f:metadata"
SERVER_OWNED_PATHS = frozenset(
    [("f:apiVersion",), ("f:kind",), (_META,)]
    + [(_META, "f:" + name) for name in ("name", "namespace", "creationTimestamp", "selfLink", "uid",
                                          "clusterName", "generation", "managedFields", "resourceVersion",
                                          "deletionTimestamp", "deletionGracePeriodSeconds")])
_SERVER_METADATA = ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink",
                    "deletionTimestamp", "deletionGracePeriodSeconds")

# What an empty object of each kind looks like once the real server converts its Go zero
# value to JSON: structs without omitempty are there, so they never count as "added".
_POD_SPEC = {"containers": None}
_TEMPLATE = {"metadata": {"creationTimestamp": None}, "spec": _POD_SPEC}
_SKELETONS = {
    "Pod": {"metadata": {"creationTimestamp": None}, "spec": _POD_SPEC, "status": {}},
    "Namespace": {"metadata": {"creationTimestamp": None}, "spec": {}, "status": {}},
    "Deployment": {"metadata": {"creationTimestamp": None}, "spec": {"selector": None, "template": _TEMPLATE,
                                                                      "strategy": {}}, "status": {}},
    "ReplicaSet": {"metadata": {"creationTimestamp": None}, "spec": {"selector": None, "template": _TEMPLATE},
                   "status": {}},
    "DaemonSet": {"metadata": {"creationTimestamp": None}, "spec": {"selector": None, "template": _TEMPLATE,
                                                                     "updateStrategy": {}},
                  "status": {"currentNumberScheduled": 0, "desiredNumberScheduled": 0,
                             "numberMisscheduled": 0, "numberReady": 0}},
    "Service": {"metadata": {}, "spec": {}, "status": {"loadBalancer": {}}},
    "Node": {"metadata": {}, "spec": {}, "status": {"daemonEndpoints": {"kubeletEndpoint": {}}, "nodeInfo": {}}},
}


@dataclass
class Entry:
    manager: str
    operation: str
    api_version: str
    time: str | None
    subresource: str = ""
    paths: set = field(default_factory=set)

    @property
    def key(self) -> tuple:
        return self.manager, self.operation, self.subresource

    def identifier(self) -> str:
        """BuildManagerIdentifier: the JSON the conflict message is sorted by."""
        ident = {"manager": self.manager, "operation": self.operation}
        if self.operation != "Apply":
            ident["apiVersion"] = self.api_version
        if self.subresource:
            ident["subresource"] = self.subresource
        return json.dumps(ident, separators=(",", ":"))

    def printed(self) -> str:
        """printManager: `"kubectl-client-side-apply" using v1`, `"kubetui"` for appliers."""
        text = go_quote(self.manager)
        if self.subresource:
            text += f" with subresource {go_quote(self.subresource)}"
        if self.operation == "Update":
            text += f" using {self.api_version}"
        return text

    def encode(self) -> dict:
        entry = {"manager": self.manager, "operation": self.operation, "apiVersion": self.api_version}
        if self.time:
            entry["time"] = self.time
        entry["fieldsType"] = "FieldsV1"
        entry["fieldsV1"] = fieldsets.encode(self.paths)
        if self.subresource:
            entry["subresource"] = self.subresource
        return entry


class ApplyConflict(ApiError):
    """409 Conflict with one FieldManagerConflict cause per contested field."""

    def __init__(self, conflicts: list[tuple[Entry, tuple]]):
        conflicts = sorted(conflicts, key=lambda c: (c[0].identifier(), fieldsets.iteration_order(c[1])))
        self.conflicts = conflicts
        causes = [{"reason": "FieldManagerConflict", "message": f"conflict with {entry.printed()}",
                   "field": fieldsets.path_string(path)} for entry, path in conflicts]
        if len(conflicts) == 1:
            entry, path = conflicts[0]
            message = f"Apply failed with 1 conflict: conflict with {entry.printed()}: {fieldsets.path_string(path)}"
        else:
            lines: list[str] = []
            for identifier in sorted({entry.identifier() for entry, _ in conflicts}):
                group = [(e, p) for e, p in conflicts if e.identifier() == identifier]
                lines.append(f"conflicts with {group[0][0].printed()}:")
                lines.extend(f"- {fieldsets.path_string(p)}" for _, p in group)
            message = f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)
        super().__init__(409, "Conflict", message, {"causes": causes})


def _trackable(path: tuple, subresource: str) -> bool:
    if subresource == "status":
        return path[:1] == ("f:status",)
    if path[:1] == ("f:status",) or path in SERVER_OWNED_PATHS:
        return False
    return path[:2] != (_META, "f:managedFields")


def read_entries(managed: list | None) -> dict:
    entries: dict = {}
    for raw in managed or []:
        if not isinstance(raw, dict) or not raw.get("manager") and not raw.get("operation"):
            continue
        entry = Entry(str(raw.get("manager") or ""), str(raw.get("operation") or "Update"),
                      str(raw.get("apiVersion") or ""), raw.get("time") if isinstance(raw.get("time"), str) else None,
                      str(raw.get("subresource") or ""), fieldsets.decode(raw.get("fieldsV1")))
        entries[entry.key] = entry
    return entries


def _write_entries(obj: dict, entries: dict) -> None:
    kept = [e for e in entries.values() if e.paths]
    kept.sort(key=lambda e: (e.operation, e.time or "", e.manager, e.api_version, e.subresource))
    metadata = obj.setdefault("metadata", {})
    if kept:
        metadata["managedFields"] = [e.encode() for e in kept]
    else:
        metadata.pop("managedFields", None)


def _with_zero_fields(obj: dict, zero: dict) -> dict:
    """Fill in the struct fields a Go object always has, so they never look newly added.
    Copies only the dicts on the way to a filled-in field; the rest is shared with `obj`."""
    out = dict(obj)
    for key, value in zero.items():
        if key not in out:
            out[key] = copy.deepcopy(value)
        elif isinstance(value, dict) and isinstance(out[key], dict):
            out[key] = _with_zero_fields(out[key], value)
    return out


def _comparable(obj: dict | None, kind: str, subresource: str = "") -> dict:
    """`obj` as the typed apiserver would compare it: zero fields present, no managedFields.
    Read-only: it shares all but a few dicts with `obj`. For the status subresource only the
    status is kept, since no other field is tracked there (see `_trackable`)."""
    zero = _SKELETONS.get(kind, {"metadata": {}})
    obj = obj or {}
    if subresource == "status":
        obj = {"status": obj["status"]} if "status" in obj else {}
        zero = {"status": zero["status"]} if "status" in zero else {}
    elif isinstance(obj.get("metadata"), dict) and "managedFields" in obj["metadata"]:
        obj = {**obj, "metadata": {k: v for k, v in obj["metadata"].items() if k != "managedFields"}}
    return _with_zero_fields(obj, zero)


def _owned_at_or_below(path: tuple, owned: set) -> bool:
    return path in owned or any(other[:len(path)] == path for other in owned)


def server_side_apply(live: dict | None, config: dict, *, manager: str, force: bool, now: str,
                      api_version: str, subresource: str = "") -> dict:
    """The object after `manager` applies `config`; raises ApplyConflict (409) unless forced."""
    if not isinstance(config, dict):
        raise bad_request("error decoding YAML: the apply configuration must be an object")
    if not manager:
        raise ApiError(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: "
                       "is required for apply patch", {"group": "meta.k8s.io", "kind": "PatchOptions", "causes": [
                           {"reason": "FieldValueRequired", "message": "Required value: is required for apply patch",
                            "field": "fieldManager"}]})
    kind = config.get("kind") or (live or {}).get("kind") or ""
    type_ = root_type(kind)
    base = copy.deepcopy(live) if live else {}
    if isinstance(base.get("metadata"), dict):
        base["metadata"].pop("managedFields", None)
    entries = read_entries(((live or {}).get("metadata") or {}).get("managedFields"))
    applied = copy.deepcopy(config)
    if subresource != "status":
        applied.pop("status", None)
    for name in _SERVER_METADATA:
        (applied.get("metadata") or {}).pop(name, None)

    merged = fieldsets.merge(copy.deepcopy(base), applied, type_)
    new_set = {p for p in fieldsets.apply_set(applied, type_) if _trackable(p, subresource)}
    key = (manager, "Apply", subresource)
    previous = entries.get(key)
    others = [k for k in entries if k != key]
    if previous:
        still_owned = new_set.union(*(entries[k].paths for k in others))
        stale = {p for p in previous.paths - new_set if not _owned_at_or_below(p, still_owned)}
        merged = fieldsets.remove_paths(merged, stale, type_)

    before, after = _comparable(base, kind), _comparable(merged, kind)
    added, modified, removed = fieldsets.compare(before, after, type_)
    changed = {p for p in added | modified if _trackable(p, subresource)}
    conflicts = {k: entries[k].paths & changed for k in others if entries[k].paths & changed}
    if conflicts and not force:
        conflicts = _upgrade_from_client_side_apply(conflicts, manager, before, type_)
        if any(conflicts.values()):
            raise ApplyConflict([(entries[k], p) for k, paths in conflicts.items() for p in paths])
        conflicts = {k: entries[k].paths & changed for k in others if entries[k].paths & changed}
    for k, taken in conflicts.items():
        entries[k].paths -= taken
    for k in others:
        entries[k].paths -= removed

    object_changed = after != before
    keep_time = previous and previous.paths == new_set and not object_changed
    entries[key] = Entry(manager, "Apply", api_version, previous.time if keep_time else now, subresource, new_set)
    if manager == "kubectl" and LAST_APPLIED in ((base.get("metadata") or {}).get("annotations") or {}):
        _sync_last_applied(merged, config)
    _write_entries(merged, entries)
    return merged


def _upgrade_from_client_side_apply(conflicts: dict, manager: str, live: dict, type_) -> dict:
    """lastAppliedManager: `kubectl apply --server-side` may take over fields that still hold
    the value recorded in the client-side last-applied annotation."""
    if manager != "kubectl":
        return conflicts
    annotation = ((live.get("metadata") or {}).get("annotations") or {}).get(LAST_APPLIED)
    try:
        last_applied = json.loads(annotation) if annotation else None
    except ValueError:
        last_applied = None
    if not isinstance(last_applied, dict):
        return conflicts
    added, modified, _ = fieldsets.compare(live, last_applied, type_)
    allowed = fieldsets.apply_set(last_applied, type_) - added - modified
    return {k: paths - allowed for k, paths in conflicts.items() if paths - allowed}


def _sync_last_applied(obj: dict, config: dict) -> None:
    """lastAppliedUpdater: keep the client-side annotation in step with what kubectl applied."""
    recorded = copy.deepcopy(config)
    annotations = (recorded.get("metadata") or {}).get("annotations")
    if isinstance(annotations, dict):
        annotations.pop(LAST_APPLIED, None)
        if not annotations:
            recorded["metadata"].pop("annotations")
    obj.setdefault("metadata", {}).setdefault("annotations", {})[LAST_APPLIED] = json.dumps(
        recorded, separators=(",", ":"), sort_keys=True)


def record_update(old: dict | None, new: dict, *, manager: str, operation: str = "Update", now: str,
                  api_version: str, subresource: str = "") -> None:
    """Give `manager` the fields that `new` adds or changes relative to `old` (in place)."""
    if not isinstance(new.get("metadata"), dict):
        return
    kind = new.get("kind") or (old or {}).get("kind") or ""
    type_ = root_type(kind)
    sent = new["metadata"].get("managedFields")
    if sent == [{}]:  # isResetManagedFields: the client asks to wipe ownership
        entries: dict = {}
    else:
        entries = read_entries(sent) if sent and subresource == "" else {}
        if not entries:
            entries = read_entries(((old or {}).get("metadata") or {}).get("managedFields"))
    added, modified, removed = fieldsets.compare(_comparable(old, kind, subresource),
                                                 _comparable(new, kind, subresource), type_)
    taken = {p for p in added | modified if _trackable(p, subresource)}
    removed = {p for p in removed if _trackable(p, subresource)}
    key = (manager, operation, subresource)
    for k, entry in entries.items():
        if k != key:
            entry.paths -= taken | removed
    entry = entries.get(key) or Entry(manager, operation, api_version, None, subresource)
    entry.paths = (entry.paths - removed) | taken
    if taken:
        entry.time, entry.api_version = now, api_version
    entries[key] = entry
    _write_entries(new, entries)
