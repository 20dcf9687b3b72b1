"""PATCH bodies: JSON merge patch (RFC 7386), strategic merge patch, and (re-exported from
`json_patch`) JSON patch (RFC 6902).

Key decision: the strategic merge is a port of apimachinery `strategicpatch.mergeMap` /
`mergeSlice` with the server's options (MergeParallelList, IgnoreUnmatchedNulls), driven by
the merge keys in `kubetypes`, so the patches kubectl's client-side apply sends
(`$setElementOrder/containers`, `$retainKeys`, `$deleteFromPrimitiveList/...`, `$patch`)
land exactly as on a real cluster. Inputs are never mutated; results are fresh dicts.
"""

from __future__ import annotations

import copy
import json

from kubetui.localcluster.apimachinery.errors import bad_request
from kubetui.localcluster.apimachinery.json_patch import apply_json_patch
from kubetui.localcluster.apimachinery.kubetypes import ANY, ListOf, child_type, root_type

__all__ = ["apply_json_patch", "apply_merge_patch", "apply_strategic_merge_patch"]

DIRECTIVE = "$patch"
RETAIN_KEYS = "$retainKeys"
SET_ORDER = "$setElementOrder/"
DELETE_PRIMITIVES = "$deleteFromPrimitiveList/"

# ------------------------------------------------------------------ JSON merge patch


def apply_merge_patch(target: dict, patch: dict) -> dict:
    """RFC 7386: objects merge, `null` deletes, everything else replaces."""
    if not isinstance(patch, dict):
        raise bad_request("Invalid JSON Patch")
    return _merge_patch(copy.deepcopy(target) if isinstance(target, dict) else {}, patch)


def _merge_patch(target: dict, patch: dict) -> dict:
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict):
            current = target.get(key)
            target[key] = _merge_patch(current if isinstance(current, dict) else {}, value)
        else:
            target[key] = copy.deepcopy(value)
    return target


# ------------------------------------------------------------------ strategic merge patch


def apply_strategic_merge_patch(target: dict, patch: dict, kind: str | None = None) -> dict:
    """Kubernetes strategic merge for the built-in types (`kind` defaults to target's)."""
    if not isinstance(patch, dict):
        raise bad_request("invalid JSON document")
    type_ = root_type(kind or target.get("kind") or patch.get("kind") or "")
    return _merge_map(copy.deepcopy(target), copy.deepcopy(patch), type_)


def _merge_map(original: dict, patch: dict, type_) -> dict:
    if DIRECTIVE in patch:
        directive = patch[DIRECTIVE]
        if directive == "replace":
            del patch[DIRECTIVE]
            return _clean_new_value(patch)[0]
        if directive == "delete":
            return {}
        if directive != "merge":
            raise bad_request(f"unknown patch type: {directive} in map: {_go_map(patch)}")
        del patch[DIRECTIVE]
    if original is None:
        original = {}
    _apply_retain_keys(original, patch)
    _merge_ordered_lists(original, patch, type_)
    for key, patch_value in patch.items():
        if key.startswith(SET_ORDER):
            continue
        is_delete_list = key.startswith(DELETE_PRIMITIVES)
        if is_delete_list:
            key = key[len(DELETE_PRIMITIVES):]
        if patch_value is None:
            original.pop(key, None)
            continue
        if key not in original or _shape(original[key]) != _shape(patch_value):
            if not is_delete_list:
                value, keep = _clean_new_value(patch_value)
                if keep:
                    original[key] = value
                else:
                    original.pop(key, None)
            continue
        current = original[key]
        if isinstance(current, dict):
            original[key] = _merge_map(current, patch_value, child_type(type_, key))
        elif isinstance(current, list):
            original[key] = _merge_list_field(current, patch_value, child_type(type_, key), is_delete_list)
        else:
            original[key] = patch_value
    return original


def _shape(value) -> str:
    return "map" if isinstance(value, dict) else "list" if isinstance(value, list) else "scalar"


def _go_map(value) -> str:
    return json.dumps(value, sort_keys=True)


def _clean_new_value(value):
    """removeDirectives + discardNullValuesFromPatch for a value the original lacks."""
    if isinstance(value, dict):
        if DIRECTIVE in value:
            return None, False
        cleaned = {}
        for key, item in value.items():
            if item is None or key == RETAIN_KEYS or key.startswith((SET_ORDER, DELETE_PRIMITIVES)):
                continue
            item, keep = _clean_new_value(item)
            if keep:
                cleaned[key] = item
        return cleaned, True
    if isinstance(value, list):
        items = [_clean_new_value(item) for item in value]
        return [item for item, keep in items if keep], True
    return value, True


def _apply_retain_keys(original: dict, patch: dict) -> None:
    if RETAIN_KEYS not in patch:
        return
    retain = patch.pop(RETAIN_KEYS)
    if not isinstance(retain, list):
        raise bad_request("invalid patch format of retainKeys")
    allowed = set(retain)
    for key, value in patch.items():
        if value is None or key.startswith((DELETE_PRIMITIVES, SET_ORDER)):
            continue
        if key not in allowed:
            raise bad_request("invalid patch format of retainKeys")
    for key in [k for k in original if k not in allowed]:
        del original[key]


def _list_type(type_) -> ListOf:
    return type_ if isinstance(type_, ListOf) else ListOf(ANY)


def _merge_list_field(original: list, patch: list, type_, is_delete_list: bool) -> list:
    list_type = _list_type(type_)
    if list_type.merge or is_delete_list:
        return _merge_slice(original, patch, list_type, is_delete_list)
    return patch


def _element_is_map(*lists: list) -> bool | None:
    for items in lists:
        for item in items:
            return isinstance(item, dict)
    return None


def _merge_slice(original: list, patch: list, list_type: ListOf, is_delete_list: bool) -> list:
    if not original and not patch:
        return original
    is_map = bool(_element_is_map(original, patch))
    key = list_type.smp_key
    if not is_map:
        if is_delete_list:
            return [item for item in original if item not in patch]
        merged = _dedupe(original + patch)
    else:
        if not key:
            raise bad_request("cannot merge lists without merge key")
        original, patch = _apply_list_directives(original, patch, key)
        merged = _merge_items(original, patch, key, list_type.item)
    patch_items, server_only = _partition(merged, patch, key if is_map else "")
    return _normalize_order(patch_items, server_only, patch, original, key if is_map else "")


def _dedupe(items: list) -> list:
    out: list = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _apply_list_directives(original: list, patch: list, key: str) -> tuple[list, list]:
    """mergeSliceWithSpecialElements: `$patch: delete|replace` items inside a list."""
    plain, replace = [], False
    for item in patch:
        if not isinstance(item, dict):
            raise bad_request("mixed types in list patch")
        if DIRECTIVE not in item:
            plain.append(item)
            continue
        directive = item[DIRECTIVE]
        if directive == "delete":
            if key not in item:
                raise bad_request(f"map: {_go_map(item)} does not contain declared merge key: {key}")
            original = [o for o in original if not (isinstance(o, dict) and o.get(key) == item[key])]
        elif directive == "replace":
            replace = True
        elif directive == "merge":
            raise bad_request("merging lists cannot yet be specified in the patch")
        else:
            raise bad_request(f"unknown patch type: {directive} in map: {_go_map(item)}")
    if replace:
        return plain, []
    return original, plain


def _merge_items(original: list, patch: list, key: str, item_type) -> list:
    merged = list(original)
    for item in patch:
        for index, existing in enumerate(merged):
            if isinstance(existing, dict) and key in existing and key in item and existing[key] == item[key]:
                merged[index] = _merge_map(existing, item, item_type)
                break
        else:
            merged.append(_clean_new_value(item)[0])
    return merged


def _identity(item, key: str):
    return ("k", json.dumps(item.get(key), sort_keys=True)) if key and isinstance(item, dict) else \
        ("v", json.dumps(item, sort_keys=True))


def _partition(merged: list, order: list, key: str) -> tuple[list, list]:
    wanted = {_identity(item, key) for item in order if not (isinstance(item, dict) and DIRECTIVE in item)}
    patch_items = [item for item in merged if _identity(item, key) in wanted]
    server_only = [item for item in merged if _identity(item, key) not in wanted]
    return patch_items, server_only


def _index_map(order: list, key: str) -> dict:
    positions: dict = {}
    for position, item in enumerate(order):
        positions.setdefault(_identity(item, key), position)
    return positions


def _sort_by(items: list, order: list, key: str) -> list:
    if key:
        for item in items + order:
            if isinstance(item, dict) and key not in item and DIRECTIVE not in item:
                raise bad_request(f"map: {_go_map(item)} does not contain declared merge key: {key}")
        doomed = {_identity(i, key) for i in order if isinstance(i, dict) and i.get(DIRECTIVE) == "delete"}
        items = [item for item in items if _identity(item, key) not in doomed]
    positions = _index_map(order, key)
    return sorted(items, key=lambda item: positions.get(_identity(item, key), len(order)))


def _normalize_order(patch_items: list, server_only: list, patch_order: list, server_order: list, key: str) -> list:
    """normalizeElementOrder + mergeSortedSlice: patch order wins, server-only items keep their place."""
    right = _sort_by(patch_items, patch_order, key)
    left = _sort_by(server_only, server_order, key)
    positions = _index_map(server_order, key)
    out, i, j = [], 0, 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        else:
            li, ri = positions.get(_identity(left[i], key)), positions.get(_identity(right[j], key))
            if li is not None and ri is not None and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def _merge_ordered_lists(original: dict, patch: dict, type_) -> None:
    """mergePatchIntoOriginal: each `$setElementOrder/<field>` with its patch list."""
    for directive_key in [k for k in patch if k.startswith(SET_ORDER)]:
        order = patch[directive_key]
        field = directive_key[len(SET_ORDER):]
        if not isinstance(order, list):
            raise bad_request("invalid patch format of setElementOrder list")
        list_type = _list_type(child_type(type_, field))
        key = list_type.smp_key
        has_original, has_patch = field in original, field in patch
        original_list = original.get(field) if has_original else []
        patch_list = patch.get(field) if has_patch else []
        if not isinstance(original_list, list) or not isinstance(patch_list, list):
            raise bad_request("invalid patch format of setElementOrder list")
        _check_order_covers_patch(patch_list, order, key)
        if has_original and not has_patch:
            merged = original_list
        elif has_patch and not has_original:
            merged = _clean_new_value(patch_list)[0]
        elif has_original and has_patch:
            merged = _merge_list_field(original_list, patch_list, list_type, False)
        else:
            continue
        is_map = _element_is_map(original_list, patch_list)
        if is_map is not None:
            item_key = key if is_map else ""
            patch_items, server_only = _partition(merged, order, item_key)
            merged = _normalize_order(patch_items, server_only, order, original_list, item_key)
        original[field] = merged
        patch.pop(field, None)


def _check_order_covers_patch(patch_list: list, order: list, key: str) -> None:
    """validatePatchWithSetOrderList: patch items must appear in the order list, in order."""
    items = [item for item in patch_list if not (isinstance(item, dict) and DIRECTIVE in item)]
    if not items or not order:
        return
    p = s = 0
    while p < len(items) and s < len(order):
        if _identity(items[p], key) == _identity(order[s], key):
            p += 1
        s += 1
    if p < len(items):
        raise bad_request(
            f"The order in patch list:\n{json.dumps(patch_list)}\n doesn't match {SET_ORDER} list:\n{json.dumps(order)}\n")
