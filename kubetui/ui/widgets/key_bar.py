"""The key bar at the bottom: the keys active where the focus is, drawn as one line of text.

Key decision: Textual's `Footer` recomposes a widget per key whenever the bindings change, which
they do at every view switch and focus move; with ~30 keys that is one mount and a stylesheet
pass per key (half a second of a `:pods` switch was measured there). Here a change only marks
the bar for repainting, and painting joins a few strings. Keys wrap to a second row when one is
not enough; what does not fit in two is dropped from the end, while `?` (help, which lists them
all) stays last.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

from kubetui.ui.key_names import one_key_label

__all__ = ["KeyBar"]

_HELP_ACTIONS = ("help", "app.help")
_DISABLED = Style(dim=True)
MAX_ROWS = 2


def _width(pair: tuple) -> int:
    return len(pair[1]) + len(pair[2]) + 3


class KeyBar(Widget):
    """One line of `key label` pairs for the focused widget's bindings; a click presses the key."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--label"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        max-height: 2;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--label {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, int, str]] = []  # (row, start, end, key) of each drawn pair

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen) -> None:
        rows = len(self._rows_for(max(self.size.width, 1)))
        self.refresh(layout=rows != self.size.height)  # a relayout only when the bar grows or shrinks

    def shown_keys(self) -> list[tuple[str, str, str, bool, str]]:
        """(key, key as shown, label, enabled, action) for each action shown, help last."""
        seen: set[str] = set()
        keys = []
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append((binding.key, one_key_label(binding.key.split(",")[0]), binding.description, enabled,
                         binding.action))
        return sorted(keys, key=lambda key: key[4] in _HELP_ACTIONS)

    def _rows_for(self, width: int) -> list[list[tuple]]:
        """The pairs laid out in at most MAX_ROWS rows of `width` cells, help last."""
        pairs = self.shown_keys()
        pinned = pairs[-1] if pairs and pairs[-1][4] in _HELP_ACTIONS else None
        rows: list[list[tuple]] = [[]]
        used = [0]
        for pair in pairs:
            if pair is pinned:
                continue
            if used[-1] + _width(pair) > width:
                if len(rows) == MAX_ROWS:
                    continue  # no room: help lists it
                rows.append([])
                used.append(0)
            rows[-1].append(pair)
            used[-1] += _width(pair)
        if pinned is not None:
            while rows[-1] and used[-1] + _width(pinned) > width:
                used[-1] -= _width(rows[-1].pop())
            rows[-1].append(pinned)
        return rows

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        label_style = self.get_component_rich_style("key-bar--label")
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, int, str]] = []
        for y, row in enumerate(self._rows_for(max(self.size.width, 1))):
            if y:
                line.append("\n")
            x = 0
            for key, shown, label, enabled, _action in row:
                faded = _DISABLED if not enabled else Style()
                line.append(f" {shown} ", key_style + faded)
                line.append(f"{label} ", label_style + faded)
                spans.append((y, x, x + _width((key, shown, label)), key))
                x += _width((key, shown, label))
        self._spans = spans
        return line

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._rows_for(max(width, 1))) if self.is_attached else 1

    def on_click(self, event: events.Click) -> None:
        for y, start, end, key in self._spans:
            if y == event.y and start <= event.x < end:
                self.app.simulate_key(key)
                return
