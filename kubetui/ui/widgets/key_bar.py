"""The key bar at the bottom: the keys active where the focus is, drawn as one line of text.

Key decision: Textual's `Footer` recomposes a widget per key whenever the bindings change, which
they do at every view switch and focus move; with ~30 keys that is one mount and a stylesheet
pass per key (half a second of a `:pods` switch was measured there). Here a change only marks
the line for repainting, and painting joins a few strings. Keys that do not fit are dropped from
the end, while `?` (help, which lists them all) stays on the right.
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


class KeyBar(Widget):
    """One line of `key label` pairs for the focused widget's bindings; a click presses the key."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--label"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
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
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of each drawn pair

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen) -> None:
        self.refresh()

    def shown_keys(self) -> list[tuple[str, str, str, bool]]:
        """(key, key as shown, label, enabled) for each action shown, first binding of each."""
        seen: set[str] = set()
        keys = []
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append((binding.key, one_key_label(binding.key.split(",")[0]), binding.description, enabled,
                         binding.action))
        help_last = sorted(keys, key=lambda key: key[4] in _HELP_ACTIONS)
        return [(key, shown, label, enabled) for key, shown, label, enabled, _action in help_last]

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        label_style = self.get_component_rich_style("key-bar--label")
        width = self.size.width
        pairs = self.shown_keys()
        pinned = pairs[-1:] if pairs and pairs[-1][2] else []
        pinned_width = sum(len(shown) + len(label) + 3 for _key, shown, label, _enabled in pinned)
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, str]] = []
        for index, (key, shown, label, enabled) in enumerate(pairs):
            is_pinned = bool(pinned) and index == len(pairs) - 1
            piece_width = len(shown) + len(label) + 3
            room = width - (0 if is_pinned else pinned_width)
            if not is_pinned and line.cell_len + piece_width > room:
                continue  # no room: help lists it
            start = line.cell_len
            faded = _DISABLED if not enabled else Style()
            line.append(f" {shown} ", key_style + faded)
            line.append(f"{label} ", label_style + faded)
            spans.append((start, line.cell_len, key))
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
