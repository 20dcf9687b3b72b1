"""What the pod table's `/` filter means, as in k9s: regex over the row, `!` inverts, `-l` labels.

Key decisions: the text is a case-insensitive regex searched anywhere in the row's text; a
pattern that is not a valid regex (often a half-typed one, like `web(`) is matched literally
instead of failing, so live filtering never errors. A `-l` label selector is parsed by the
API server's own rules (`model.label_selectors`), so one the server would refuse is refused
here first, in its words, and the rows already on screen are narrowed at once exactly as the
server-side watch, restarted with the selector, will narrow them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kubetui.model.label_selectors import LabelSelector, LabelSelectorError, parse_label_selector

__all__ = ["RowFilter", "parse_filter"]

_LABEL_PREFIX = "-l"


@dataclass(frozen=True)
class RowFilter:
    """A parsed filter. ``label_selector`` (and its parsed ``selector``) is set for `-l`;
    otherwise ``pattern`` is."""

    text: str
    pattern: re.Pattern[str] | None = None
    inverted: bool = False
    literal: bool = False  # the text was not a valid regex and is matched as plain text
    label_selector: str | None = None
    selector: LabelSelector | None = None

    @property
    def is_empty(self) -> bool:
        return self.pattern is None and self.label_selector is None

    def matches(self, row_text: str, labels: Mapping[str, str]) -> bool:
        """Whether a row (its searchable text and its pod's labels) passes the filter."""
        if self.selector is not None:
            return self.selector.matches(labels)
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
        return RowFilter(text=stripped, label_selector=selector, selector=_label_selector(selector))
    inverted = stripped.startswith("!")
    body = stripped[1:] if inverted else stripped
    if not body:
        return RowFilter(text=stripped)
    try:
        return RowFilter(text=stripped, pattern=re.compile(body, re.IGNORECASE), inverted=inverted)
    except re.error:
        pattern = re.compile(re.escape(body), re.IGNORECASE)
        return RowFilter(text=stripped, pattern=pattern, inverted=inverted, literal=True)


def _label_selector(text: str) -> LabelSelector:
    if not text:  # the server would list everything; here it is a selector not typed yet
        raise ValueError("a label selector is needed after -l, for example: -l app=web")
    try:
        return parse_label_selector(text)
    except LabelSelectorError as err:
        raise ValueError(f"invalid label selector: {err}") from None
