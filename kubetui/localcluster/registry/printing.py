"""The shape of server-side printing: `Column` and `Printer`, the Name and Age columns every
kind has, and the cell formatters the printers of all kinds share (ages, labels, selectors).

Key decision: a printer is a pure function of `(object, now)`: `since` measures against the
`now` it is given, never the clock, so a table is the same whenever it is computed for a moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from kubetui.localcluster.apimachinery.clock import parse_rfc3339
from kubetui.model.durations import human_duration

NAME_DOC = "Name must be unique within a namespace. More info: http://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
AGE_DOC = "CreationTimestamp is a timestamp representing the server time when this object was created."


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "string"
    priority: int = 0
    format: str = ""
    description: str = ""

    def definition(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "format": self.format,
                "description": self.description or self.name, "priority": self.priority}


@dataclass(frozen=True)
class Printer:
    columns: tuple[Column, ...]
    cells: Callable[[dict, datetime], list]


NAME = Column("Name", format="name", description=NAME_DOC)
AGE = Column("Age", description=AGE_DOC)


def since(timestamp: object, now: datetime) -> str:
    """translateTimestampSince: "<unknown>" for a missing time, else a human duration."""
    moment = parse_rfc3339(timestamp)
    if moment is None:
        return "<unknown>"
    return human_duration((now - moment).total_seconds())


def meta_of(obj: dict) -> dict:
    return obj.get("metadata") or {}


def spec_of(obj: dict) -> dict:
    return obj.get("spec") or {}


def status_of(obj: dict) -> dict:
    return obj.get("status") or {}


def age_of(obj: dict, now: datetime) -> str:
    return since(meta_of(obj).get("creationTimestamp"), now)


def format_labels(labels: object) -> str:
    if not isinstance(labels, dict) or not labels:
        return "<none>"
    return ",".join(f"{key}={labels[key]}" for key in sorted(labels))
