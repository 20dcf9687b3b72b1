"""Shared by the controller and synthetic-pod tests: who owns what, and what is not being
deleted."""

from __future__ import annotations


def owned_by(obj: dict, owner: dict) -> bool:
    return any(ref.get("uid") == owner["metadata"]["uid"] and ref.get("controller")
               for ref in obj["metadata"].get("ownerReferences") or ())


def live(items: list[dict]) -> list[dict]:
    """Objects not being deleted."""
    return [item for item in items if not item["metadata"].get("deletionTimestamp")]
