"""Pick a context of the kubeconfig; the workspace then reconnects to it.

Key decision: the list comes from the kubeconfig already read by `kube.contexts.connect`, so
opening the picker costs no request; connecting happens after the choice, in a worker.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from kubetui.kube.contexts import ContextInfo


class ContextPicker(ModalScreen[str | None]):
    """Returns the chosen context's name, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, contexts: list[ContextInfo], current: str) -> None:
        super().__init__()
        self._contexts = contexts
        self._current = current

    def compose(self) -> ComposeResult:
        options = [
            Option(Text.assemble(("* " if info.name == self._current else "  ", "bold green"), (info.name, "bold"),
                                 (f"   cluster {info.cluster} · user {info.user} · ns {info.namespace}", "dim")),
                   id=info.name)
            for info in self._contexts
        ]
        with Vertical(classes="picker"):
            yield Label("Context", classes="picker-title")
            yield OptionList(*options, id="contexts")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.focus()
        names = [info.name for info in self._contexts]
        if self._current in names:
            option_list.highlighted = names.index(self._current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
