"""`kubectl label` and `kubectl annotate` on one object, request for request, in kubectl's words.

Key decisions: kubectl's steps: read the object, refuse to change a key that has another value
unless `--overwrite` (its words: `'app' already has a value (web), and --overwrite is false`),
say `label "x" not found.` for a removal of a key it lacks, then send the JSON merge patch of
the change (nothing when nothing changes) and print `pod/web labeled` / `not labeled` /
`unlabeled` (label's rule: the object got shorter) or
`pod/web annotated`; `--dry-run=server` sends the patch with `dryRun=All`, `client` sends none.
"""

from __future__ import annotations

import json
from typing import Any

from kubetui.errors import KubetuiError
from kubetui.kube.api_requests import MERGE_PATCH, call
from kubetui.kube.table_listing import resource_path
from kubetui.model.resource_names import ApiResource

__all__ = ["change_metadata"]

CHANGE_CAUSE = "kubernetes.io/change-cause"


def change_metadata(api_client: Any, resource: ApiResource, namespace: str | None, name: str, field: str,
                    changes: list[tuple[str, str | None]], *, overwrite: bool = False,
                    dry_run: str = "none", obj: dict | None = None) -> list[str]:
    """``field``: "labels" or "annotations"; ``changes``: (key, value) with None to remove.
    Returns kubectl's lines; KubetuiError in its words when the change is refused."""
    namespace = namespace if resource.namespaced else None
    path = resource_path(resource, namespace, name)
    if obj is None:
        obj = call(api_client, "GET", path)
    current: dict = dict(((obj or {}).get("metadata") or {}).get(field) or {})
    wanted = {key: value for key, value in changes if value is not None}
    removed = [key for key, value in changes if value is None]
    lines = []
    if not overwrite:
        _check_overwrites(field, current, wanted)
    if field == "labels" and dry_run != "client":
        lines += [f'label "{key}" not found.' for key in removed if key not in current]
    updated = dict(current)
    updated.update(wanted)
    for key in removed:
        updated.pop(key, None)
    patch = {key: value for key, value in wanted.items() if current.get(key) != value}
    patch.update({key: None for key in removed if key in current})
    if patch and dry_run != "client":
        query = [("dryRun", "All")] if dry_run == "server" else None
        call(api_client, "PATCH", path, query, body={"metadata": {field: patch}}, content_type=MERGE_PATCH)
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    lines.append(f"{resource.kind_text}/{name} {_operation(field, current, updated)}{suffix}")
    return lines


def _check_overwrites(field: str, current: dict, wanted: dict) -> None:
    clashes = [(key, current[key]) for key, value in wanted.items() if key in current and current[key] != value
               and not (field == "annotations" and key == CHANGE_CAUSE)]
    if not clashes:
        return
    if field == "labels":
        text = "\n".join(f"'{key}' already has a value ({value}), and --overwrite is false" for key, value in clashes)
        if len(clashes) > 1:
            text = f"[{', '.join(text.splitlines())}]"
        raise KubetuiError(f"error: {text}", "Not labeled")
    found = "; ".join(f"'{key}' already has a value ({value})" for key, value in clashes)
    raise KubetuiError(f"error: --overwrite is false but found the following declared annotation(s): {found}",
                       "Not annotated")


def _operation(field: str, before: dict, after: dict) -> str:
    """kubectl label's updateDataChangeMsg: a changed object that got shorter was unlabeled."""
    if field == "annotations":
        return "annotated"
    if before == after:
        return "not labeled"
    return "unlabeled" if _length(after) < _length(before) else "labeled"


def _length(labels: dict) -> int:
    return len(json.dumps({"labels": labels}, separators=(",", ":"))) if labels else 0
