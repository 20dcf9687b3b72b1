"""Asking which ports to forward: the pod's declared ports offered, a remote and a local port to type.

Key decisions: the container's declared ports (`ports[].containerPort`, all containers' for a
pod) are listed; picking one fills both fields, and the first fills them from the start, so
Enter alone forwards it. The remote port may be a number or a declared port's name, the local
port a number (0: any free port, as `:80` is to kubectl). What is wrong is said on one line
inside the dialog; nothing typed is lost. Esc cancels.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kubetui.model.kubectl_grammar import PortMapping


@dataclass(frozen=True)
class DeclaredPort:
    container: str
    number: int
    name: str = ""
    protocol: str = "TCP"

    @property
    def label(self) -> str:
        named = f" {self.name}" if self.name else ""
        return f"{self.number}/{self.protocol}{named}  ({self.container})"


def declared_ports(pod: dict, container: str = "") -> list[DeclaredPort]:
    """The ports the pod's containers (or `container` alone) declare, in spec order."""
    found = []
    for spec in (pod.get("spec") or {}).get("containers") or []:
        if container and spec.get("name") != container:
            continue
        for port in spec.get("ports") or []:
            if port.get("containerPort"):
                found.append(DeclaredPort(spec.get("name", ""), int(port["containerPort"]), port.get("name") or "",
                                          port.get("protocol") or "TCP"))
    return found


def parse_ports(local_text: str, remote_text: str) -> PortMapping:
    """What the two fields ask for, or ValueError with the reason."""
    remote, local = remote_text.strip(), local_text.strip()
    if not remote:
        raise ValueError("type the pod's port: a number, or the name of a declared port")
    if remote.isdigit() and not 0 < int(remote) < 65536:
        raise ValueError(f"{remote} is not a port: the pod's port is 1 to 65535")
    if not local:
        return PortMapping(int(remote) if remote.isdigit() else None, remote)
    if not local.isdigit() or int(local) > 65535:
        raise ValueError(f"{local} is not a local port: type 0 to 65535 (0: any free port)")
    return PortMapping(int(local), remote)


class PortForwardDialog(ModalScreen[PortMapping | None]):
    """Dismissed with the ports to forward, or None when cancelled."""

    DEFAULT_CSS = """
    PortForwardDialog { align: center middle; }
    PortForwardDialog > Vertical { width: 76; height: auto; background: $panel; border: round $accent; padding: 0 1; }
    PortForwardDialog .pf-title { text-style: bold; padding-bottom: 1; }
    PortForwardDialog OptionList { height: auto; max-height: 8; }
    PortForwardDialog #pf-error { color: $error; height: auto; }
    PortForwardDialog .pf-hint { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # Priority: the focus moves as Tab arrives, so digits typed right after it land in the
        # next field (Textual's own Tab runs after the Input has declined it, behind those keys).
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]

    def __init__(self, pod: str, namespace: str, context: str, ports: list[DeclaredPort], container: str = "") -> None:
        super().__init__()
        what = f"pod/{pod}" + (f" (container {container})" if container else "")
        self.title_text = f"Port-forward {what} in namespace {namespace} on context {context}"
        self.ports = ports

    def compose(self) -> ComposeResult:
        first = self.ports[0] if self.ports else None
        with Vertical():
            yield Static(self.title_text, classes="pf-title")
            if self.ports:
                yield Static("Declared ports (pick one, or type below):")
                yield OptionList(*(Option(port.label, id=str(index)) for index, port in enumerate(self.ports)),
                                 id="pf-declared")
            else:
                yield Static("The container declares no ports: type the one it listens on.")
            yield Static("Pod port (number or declared name):")
            yield Input(str(first.number) if first else "", id="pf-remote", placeholder="80")
            yield Static("Local port on 127.0.0.1 and ::1 (0: any free port):")
            yield Input(str(first.number) if first else "", id="pf-local", restrict=r"[0-9]*", placeholder="8080")
            yield Static("", id="pf-error")
            yield Static("Enter forwards · Tab moves · Esc cancels", classes="pf-hint")

    def on_mount(self) -> None:
        # With ports declared Enter forwards the first; without, the pod port is to be typed first.
        field = self.query_one("#pf-local" if self.ports else "#pf-remote", Input)
        field.focus()
        field.select_all()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._fill(event.option_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._fill(event.option_id)
        self.query_one("#pf-local", Input).focus()

    def _fill(self, option_id: str | None) -> None:
        if option_id is None:
            return
        port = self.ports[int(option_id)]
        self.query_one("#pf-remote", Input).value = str(port.number)
        self.query_one("#pf-local", Input).value = str(port.number)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            mapping = parse_ports(self.query_one("#pf-local", Input).value, self.query_one("#pf-remote", Input).value)
        except ValueError as exc:
            self.query_one("#pf-error", Static).update(str(exc))
            return
        self.dismiss(mapping)

    def action_cancel(self) -> None:
        self.dismiss(None)
