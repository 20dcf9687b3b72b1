"""What the pod table's `/` filter means, as in k9s: regex over the row, `!` inverts, `-l` labels.

Key decisions: the text is a case-insensitive regex searched anywhere in the row's text; a
pattern that is not a valid regex (often a half-typed one, like `web(`) is matched literally
instead of failing, so live filtering never errors. A `-l` label selector is parsed here with
Kubernetes' grammar (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`) so a bad one is
refused with a clear message before it reaches the server, and so the rows already on screen can
be narrowed at once while the server-side watch restarts with the selector.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["LabelRequirement", "RowFilter", "parse_filter", "parse_label_selector"]

_LABEL_PREFIX = "-l"
# A label key: optional DNS prefix and a name; values are names or empty.
_KEY = r"(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?"
_VALUE = r"(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?"
_EQUALITY = re.compile(rf"\s*({_KEY})\s*(==|!=|=)\s*({_VALUE})\s*\Z")
_SET = re.compile(rf"\s*({_KEY})\s+(in|notin)\s*\(([^()]*)\)\s*\Z")
_EXISTS = re.compile(rf"\s*(!?)\s*({_KEY})\s*\Z")
_VALUE_ONLY = re.compile(rf"{_VALUE}\Z")


@dataclass(frozen=True)
class LabelRequirement:
    """One clause of a label selector: ``key <operator> values``."""

    key: str
    operator: str  # "=", "!=", "in", "notin", "exists", "!exists"
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        value = labels.get(self.key)
        if self.operator == "exists":
            return value is not None
        if self.operator == "!exists":
            return value is None
        if self.operator in ("=", "in"):
            return value is not None and value in self.values
        # "!=" and "notin" also match pods without the label, as the API server does.
        return value is None or value not in self.values


@dataclass(frozen=True)
class RowFilter:
    """A parsed filter. ``label_selector`` is set for `-l`; otherwise ``pattern`` is."""

    text: str
    pattern: re.Pattern[str] | None = None
    inverted: bool = False
    literal: bool = False  # the text was not a valid regex and is matched as plain text
    label_selector: str | None = None
    requirements: tuple[LabelRequirement, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self.pattern is None and self.label_selector is None

    def matches(self, row_text: str, labels: Mapping[str, str]) -> bool:
        """Whether a row (its searchable text and its pod's labels) passes the filter."""
        if self.label_selector is not None:
            return all(requirement.matches(labels) for requirement in self.requirements)
        if self.pattern is None:
            return True
        return (self.pattern.search(row_text) is None) == self.inverted


def parse_filter(text: str) -> RowFilter:
    """Parse what the user typed after `/`. Raises ``ValueError`` only for a bad label selector."""
    stripped = text.strip()
    if not stripped:
        return RowFilter(text="")
    if stripped == _LABEL_PREFIX or stripped.startswith(_LABEL_PREFIX + " "):
        selector = stripped[len(_LABEL_PREFIX):].strip()
        requirements = parse_label_selector(selector)
        return RowFilter(text=stripped, label_selector=selector, requirements=requirements)
    inverted = stripped.startswith("!")
    body = stripped[1:] if inverted else stripped
    if not body:
        return RowFilter(text=stripped)
    try:
        return RowFilter(text=stripped, pattern=re.compile(body, re.IGNORECASE), inverted=inverted)
    except re.error:
        pattern = re.compile(re.escape(body), re.IGNORECASE)
        return RowFilter(text=stripped, pattern=pattern, inverted=inverted, literal=True)


def parse_label_selector(selector: str) -> tuple[LabelRequirement, ...]:
    """Kubernetes label-selector syntax; raises ``ValueError`` naming the clause it cannot read."""
    if not selector.strip():
        raise ValueError("a label selector is needed after -l, for example: -l app=web")
    requirements = []
    for clause in _split_clauses(selector):
        requirements.append(_parse_clause(clause))
    return tuple(requirements)


def _split_clauses(selector: str) -> list[str]:
    """Split on commas that are not inside the parentheses of `in (...)`."""
    clauses, depth, start = [], 0, 0
    for index, char in enumerate(selector):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            clauses.append(selector[start:index])
            start = index + 1
    clauses.append(selector[start:])
    return clauses


def _parse_clause(clause: str) -> LabelRequirement:
    if match := _EQUALITY.match(clause):
        key, operator, value = match.groups()
        return LabelRequirement(key, "!=" if operator == "!=" else "=", (value,))
    if match := _SET.match(clause):
        key, operator, inner = match.groups()
        values = tuple(value.strip() for value in inner.split(","))
        if not all(_VALUE_ONLY.match(value) for value in values):
            raise ValueError(f"invalid label selector: bad value in {clause.strip()!r}")
        return LabelRequirement(key, operator, values)
    if match := _EXISTS.match(clause):
        negated, key = match.groups()
        return LabelRequirement(key, "!exists" if negated else "exists")
    raise ValueError(f"invalid label selector: cannot read {clause.strip()!r} "
                     "(use key=value, key!=value, key in (a,b), key notin (a), key or !key)")
