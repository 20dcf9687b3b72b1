"""Names and references the controllers give to the objects they create.

Key decision: mimic the real controller manager byte for byte where users can see it. Random
suffixes use the apiserver's `generateName` alphabet (no vowels, no 0/1/3, so no accidental words),
and `pod-template-hash` is FNV-1a 32 of the template, printed in decimal and mapped through the
same alphabet, which is why real hashes look like `7c5ddbdf54`.
"""

from __future__ import annotations

import copy
import json
import random

SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
POD_TEMPLATE_HASH = "pod-template-hash"
_FNV32_OFFSET = 0x811C9DC5
_FNV32_PRIME = 0x01000193

_system_random = random.SystemRandom()


def random_suffix(length: int = 5, rng: random.Random | None = None) -> str:
    """The 5 characters the apiserver appends to a `generateName`."""
    chooser = rng or _system_random
    return "".join(chooser.choice(SAFE_ALPHABET) for _ in range(length))


def safe_encode(text: str) -> str:
    """client-go's `rand.SafeEncodeString`: each byte picks a letter of the safe alphabet."""
    return "".join(SAFE_ALPHABET[ord(ch) % len(SAFE_ALPHABET)] for ch in text)


def fnv1a_32(data: bytes) -> int:
    value = _FNV32_OFFSET
    for byte in data:
        value = ((value ^ byte) * _FNV32_PRIME) & 0xFFFFFFFF
    return value


def pod_template_hash(template: dict, collision_count: int | None = None) -> str:
    """A stable hash of a pod template, ignoring any `pod-template-hash` label it already has.

    Real Kubernetes hashes Go's spew dump of the struct; we hash canonical JSON instead, so the
    values differ from a real cluster but keep the same shape and stability.
    """
    labels = dict(((template.get("metadata") or {}).get("labels")) or {})
    labels.pop(POD_TEMPLATE_HASH, None)
    canonical = dict(template)
    canonical["metadata"] = {**(template.get("metadata") or {}), "labels": labels}
    data = json.dumps(canonical, sort_keys=True, separators=(",", ":")).encode()
    if collision_count:
        data += str(collision_count).encode()
    return safe_encode(str(fnv1a_32(data)))


class TemplateHashes:
    """`pod_template_hash` of each Deployment, remembered per (uid, generation, collisionCount).

    A Deployment's reconcile needs the hash each time one of its ReplicaSets changes, which under
    churn is many times a second, while the template only changes with a new generation (any
    spec change bumps it); hashing a template costs about a millisecond of pure Python.
    """

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple, str]] = {}  # uid → ((generation, collisions), hash)

    def of(self, deployment: dict) -> str:
        meta = deployment["metadata"]
        collisions = (deployment.get("status") or {}).get("collisionCount")
        version = (meta.get("generation"), collisions)
        known = self._known.get(meta.get("uid") or "")
        if known is not None and known[0] == version and version[0] is not None:
            return known[1]
        value = pod_template_hash(deployment["spec"].get("template") or {}, collisions)
        if meta.get("uid"):
            self._known[meta["uid"]] = (version, value)
        return value

    def forget(self, deployment: dict) -> None:
        self._known.pop(deployment["metadata"].get("uid") or "", None)


def owner_reference(owner: dict, *, api_version: str, kind: str) -> dict:
    """An ownerReference as the controller manager writes it (controller, blocks deletion)."""
    meta = owner["metadata"]
    return {
        "apiVersion": api_version,
        "kind": kind,
        "name": meta["name"],
        "uid": meta["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def controller_reference(obj: dict) -> dict | None:
    """The ownerReference marked `controller: true`, if any."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def is_controlled_by(obj: dict, owner: dict) -> bool:
    ref = controller_reference(obj)
    return ref is not None and ref.get("uid") == owner["metadata"].get("uid")


def is_terminating(obj: dict) -> bool:
    return bool((obj.get("metadata") or {}).get("deletionTimestamp"))


def with_controller(obj: dict, controller_ref: dict | None) -> dict:
    """A copy of `obj` whose controller reference is `controller_ref` (None: released)."""
    changed = copy.deepcopy(obj)
    refs = [ref for ref in changed["metadata"].get("ownerReferences") or ()
            if not ref.get("controller")]
    if controller_ref is not None:
        refs.append(controller_ref)
    if refs:
        changed["metadata"]["ownerReferences"] = refs
    else:
        changed["metadata"].pop("ownerReferences", None)
    return changed


def selects_something(selector: dict | None) -> bool:
    """apps/v1 forbids empty selectors; never let one adopt a whole namespace anyway."""
    selector = selector or {}
    return bool(selector.get("matchLabels") or selector.get("matchExpressions"))
