"""The choices a log tab offers: how far back to start (tail or since), which containers there
are to choose from, and the file a saved log goes to.

Key decisions: the ranges are kubectl's own flags (`--tail`, `--since`), so a tab's range is
something a person can repeat with kubectl; the first is the tab's default, the last 1,000
lines, then follow. A workload offers the containers of its pod template (its pods are made
from it); a pod, its own, init containers first as kubectl lists them for
`--all-containers`. A saved file is named after what the tab shows and when, and never
replaces an existing file.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

__all__ = ["DEFAULT_RANGE", "RANGES", "LogRange", "container_names", "ranges_for", "save_name"]


@dataclass(frozen=True)
class LogRange:
    label: str                       # what the tab's status line says
    tail_lines: int | None = None    # kubectl --tail
    since_seconds: int | None = None  # kubectl --since


RANGES = (
    LogRange("last 1,000 lines", tail_lines=1000),
    LogRange("since 1m", since_seconds=60),
    LogRange("since 5m", since_seconds=300),
    LogRange("since 15m", since_seconds=900),
    LogRange("since 1h", since_seconds=3600),
    LogRange("last 10,000 lines", tail_lines=10_000),
    LogRange("all it kept", tail_lines=None),
)
DEFAULT_RANGE = 0


def ranges_for(tail_lines: int | None, since_seconds: int | None) -> tuple[tuple[LogRange, ...], int]:
    """The choices `r` cycles through, and the one `--tail`/`--since` asked for (added first
    when it is none of the usual ones)."""
    for index, choice in enumerate(RANGES):
        if (choice.tail_lines, choice.since_seconds) == (tail_lines, since_seconds):
            return RANGES, index
    parts = []
    if since_seconds is not None:
        parts.append(f"since {_duration(since_seconds)}")
    if tail_lines is not None:
        parts.append(f"last {tail_lines:,} line{'s' * (tail_lines != 1)}")
    return (LogRange(", ".join(parts), tail_lines=tail_lines, since_seconds=since_seconds), *RANGES), 0


def _duration(seconds: int) -> str:
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def container_names(obj: dict) -> tuple[str, ...]:
    """Init containers, then containers, then ephemeral ones: of a pod, or of a workload's pod
    template (`spec.template.spec`)."""
    spec = obj.get("spec") or {}
    if isinstance(spec.get("template"), dict):
        spec = spec["template"].get("spec") or {}
    names: list[str] = []
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for container in spec.get(key) or []:
            if isinstance(container, dict) and container.get("name"):
                names.append(str(container["name"]))
    return tuple(names)


def save_name(title: str, now: datetime, taken: Collection[str] = ()) -> str:
    """`web-nginx-20240501-120304.log` for the tab `web/nginx` at `now`; `-2`, `-3` … when
    that name is in ``taken``."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", title).strip("-.") or "log"
    stem = f"{stem}-{now.strftime('%Y%m%d-%H%M%S')}"
    name, number = f"{stem}.log", 2
    while name in taken:
        name, number = f"{stem}-{number}.log", number + 1
    return name
