"""What a dry run would change: the live object against the dry-run result, as a YAML diff.

Key decisions: both sides lose the fields the server writes on every change (managedFields,
resourceVersion, generation, uid, creationTimestamp, selfLink) and `status`, which an apply
never sets, so the diff shows only what the manifest changes; YAML keys are sorted as
`kubectl get -o yaml` sorts them, so the diff is stable; `unchanged` is decided on the same
stripped objects.
"""

from __future__ import annotations

import copy
import difflib

import yaml

SERVER_METADATA = ("managedFields", "resourceVersion", "generation", "uid", "creationTimestamp", "selfLink")


def strip_noise(obj: dict | None) -> dict:
    """A copy of `obj` without server bookkeeping and status (empty annotations dropped too)."""
    if not obj:
        return {}
    clean = copy.deepcopy(obj)
    clean.pop("status", None)
    meta = clean.get("metadata")
    if isinstance(meta, dict):
        for key in SERVER_METADATA:
            meta.pop(key, None)
        if meta.get("annotations") == {}:
            meta.pop("annotations")
    return clean


def as_yaml(obj: dict | None) -> str:
    if not obj:
        return ""
    return yaml.safe_dump(obj, sort_keys=True, default_flow_style=False, allow_unicode=True, width=1000)


def same_object(live: dict | None, planned: dict | None) -> bool:
    """True when applying would change nothing a person wrote."""
    return strip_noise(live) == strip_noise(planned)


def object_diff(live: dict | None, planned: dict | None, label: str = "object") -> str:
    """A unified diff, live first, of the stripped objects as YAML ("" when they are the same)."""
    before = as_yaml(strip_noise(live)).splitlines(keepends=True)
    after = as_yaml(strip_noise(planned)).splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, fromfile=f"live/{label}", tofile=f"planned/{label}", n=3)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
