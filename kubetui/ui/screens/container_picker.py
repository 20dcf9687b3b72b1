"""Pick the container to exec into: containers and running sidecars, with image and state.

Key decision: the caller hands in the pod as read just now, so states are current; the
`kubectl.kubernetes.io/default-container` annotation decides the highlighted row. `s` (or
Enter) opens a shell in the highlighted container, `e` asks for a custom command first.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from kubetui.model.exec_choices import ContainerChoice, container_choices, preselected


@dataclass(frozen=True)
class ContainerPick:
    container: str
    action: str  # "shell" or "command"


def choice_label(choice: ContainerChoice, name_width: int) -> Text:
    state_style = "green" if choice.running else "yellow"
    kind = "" if choice.kind == "container" else f" [{choice.kind}]"
    return Text.assemble(
        (choice.name.ljust(name_width), "bold"),
        "  ",
        (choice.state, state_style),
        "  ",
        (choice.image, "dim"),
        (kind, "italic"),
    )


class ContainerPicker(ModalScreen[ContainerPick | None]):
    """Returns the container and what to do in it, or None when cancelled."""

    BINDINGS = [
        Binding("s", "pick('shell')", "Shell"),
        Binding("e", "pick('command')", "Command…"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, pod: dict) -> None:
        super().__init__()
        self.pod = pod
        self.choices = container_choices(pod)

    def compose(self) -> ComposeResult:
        name = (self.pod.get("metadata") or {}).get("name", "")
        width = max((len(c.name) for c in self.choices), default=0)
        with Vertical(classes="picker"):
            yield Label(f"Containers of {name}", classes="picker-title")
            yield OptionList(*[Option(choice_label(c, width), id=c.name) for c in self.choices], id="containers")
            yield Static("s/Enter shell · e custom command · Esc cancel", id="picker-status")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.choices:
            options.highlighted = preselected(self.pod, self.choices)
        options.focus()

    def _highlighted(self) -> str | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(ContainerPick(event.option.id, "shell"))

    def action_pick(self, action: str) -> None:
        container = self._highlighted()
        if container is not None:
            self.dismiss(ContainerPick(container, action))

    def action_cancel(self) -> None:
        self.dismiss(None)
