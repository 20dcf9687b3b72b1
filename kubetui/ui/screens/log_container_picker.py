"""Choose what a log tab reads: one container, or all of them (each line then says whose it is).

Key decision: the choices are the names the tab was opened with (a pod's containers, or a
workload's pod template's), "all containers" first; the current choice is highlighted, and
the screen returns a name, `ALL_CONTAINERS`, or None when cancelled.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

ALL_CONTAINERS = "*all*"  # never a container name: those are DNS labels


class LogContainerPicker(ModalScreen[str | None]):
    DEFAULT_CSS = "LogContainerPicker { align: center middle; }"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, containers: tuple[str, ...], current: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.containers = containers
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option("all containers, each line prefixed [pod/NAME/CONTAINER]", id=ALL_CONTAINERS)]
        options += [Option(name, id=name) for name in self.containers]
        with Vertical(classes="picker"):
            yield Label(f"Logs of {self.title_text}: which container?", classes="picker-title")
            yield OptionList(*options, id="log-containers")
            yield Static("Enter reads it · Esc cancels", id="picker-status")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [ALL_CONTAINERS, *self.containers]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
