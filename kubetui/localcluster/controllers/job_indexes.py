"""Indexed completion mode of Jobs: a pod's completion index and `status.completedIndexes`.

Key decision: the index travels as the pod's `batch.kubernetes.io/job-completion-index`
annotation (and label), as upstream; completed indexes are kept as the API's own compact text
(`0,1,3-5`), parsed and formatted here so the counting code deals in sets of integers.
"""

from __future__ import annotations

INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index"
INDEX_LABEL = "batch.kubernetes.io/job-completion-index"


def pod_index(pod: dict) -> int | None:
    text = ((pod.get("metadata") or {}).get("annotations") or {}).get(INDEX_ANNOTATION)
    return int(text) if isinstance(text, str) and text.isdigit() else None


def parse_indexes(text: str) -> set[int]:
    found: set[int] = set()
    for part in filter(None, text.split(",")):
        low, _, high = part.partition("-")
        found.update(range(int(low), int(high or low) + 1))
    return found


def format_indexes(indexes: set[int]) -> str:
    """status.completedIndexes: runs of three or more as `first-last`, e.g. `0,1,3-5`."""
    parts: list[str] = []
    ordered = sorted(indexes)
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        first, last = ordered[start], ordered[end]
        if last == first:
            parts.append(str(first))
        else:
            parts.append(f"{first},{last}" if last == first + 1 else f"{first}-{last}")
        start = end + 1
    return ",".join(parts)
