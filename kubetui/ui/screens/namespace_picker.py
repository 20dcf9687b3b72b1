"""Pick a namespace: "all" plus the namespaces the server lists now (fetched off the UI thread).

Key decision: the list is read live each time the picker opens (a thread worker calls
`kube.listing.list_namespaces`), and "all" is offered at once so the picker is usable before the
answer arrives or when listing namespaces is forbidden (the error is shown in the picker).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from kubetui.ui.workers import guarded

ALL_NAMESPACES = ""  # what the picker returns for "all"; None means cancelled
_ALL_ID = "\0all"


class NamespacePicker(ModalScreen[str | None]):
    """Returns a namespace name, `ALL_NAMESPACES`, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, api_client, current: str | None) -> None:
        super().__init__()
        self._api_client = api_client
        self._current = current  # None: all namespaces

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker"):
            yield Label("Namespace", classes="picker-title")
            yield OptionList(Option("all", id=_ALL_ID), id="namespaces")
            yield Static("loading namespaces…", id="picker-status")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._load_namespaces()

    def _listing_failed(self, error: BaseException, shown: str) -> None:
        self.query_one("#picker-status", Static).update(Text(shown, style="bold red"))

    @guarded(group="namespaces", failed=_listing_failed)
    def _load_namespaces(self) -> list[str]:
        from kubetui.kube.listing import list_namespaces  # keeps the client off the first frame

        return list_namespaces(self._api_client)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "namespaces":
            return
        status = self.query_one("#picker-status", Static)
        if event.state == WorkerState.SUCCESS:  # a failure took the app's error route
            names = sorted(event.worker.result or [])
            option_list = self.query_one(OptionList)
            option_list.add_options([Option(name, id=name) for name in names])
            if self._current in names:
                option_list.highlighted = names.index(self._current) + 1
            status.update(f"{len(names)} namespaces")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id
        self.dismiss(ALL_NAMESPACES if option_id == _ALL_ID else option_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
