"""A custom exec command, kubectl-style (`-- /bin/ls --all --classify`), and its one-shot result.

`ExecCommandDialog` returns the argv and whether to run it with a TTY (interactively, in a tab)
or once without one. `CommandResultScreen` runs the one-shot command in a thread worker and
shows its output and exit code in a scrollable pane; Escape cancels a command still running.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static
from textual.worker import Worker, WorkerState

from kubetui.errors import KubetuiError
from kubetui.model.exec_choices import parse_command
from kubetui.ui.workers import guarded


@dataclass(frozen=True)
class CommandRequest:
    argv: tuple
    tty: bool


class ExecCommandDialog(ModalScreen[CommandRequest | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, where: str, initial: str = "-- ") -> None:
        super().__init__()
        self.where = where
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker exec-command"):
            yield Label(f"Run a command in {self.where}", classes="picker-title")
            yield Input(self.initial, placeholder="-- /bin/ls --all --classify", id="command")
            yield Checkbox("TTY: interactive, in a tab (untick: run once, show output and exit code)",
                           value=True, id="tty")
            yield Static("", id="command-error")
            with Horizontal(classes="buttons"):
                yield Button("Run", variant="primary", id="run")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "run":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        try:
            argv = parse_command(self.query_one(Input).value)
        except ValueError as exc:
            self.query_one("#command-error", Static).update(f"[b red]{exc}[/]")
            return
        self.dismiss(CommandRequest(argv, self.query_one(Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class CommandResultScreen(ModalScreen[None]):
    """Runs `run(cancelled)` (which returns a `OneShotResult`) off the UI thread, then shows it."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("enter", "close", "Close", show=False)]

    def __init__(self, title: str, run: Callable) -> None:
        super().__init__()
        self.title_text = title
        self._run = run
        self._cancel = threading.Event()
        self.result = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker exec-result"):
            yield Label(self.title_text, classes="picker-title")
            with VerticalScroll(id="result-scroll"):
                yield Static("running…", id="result-output", markup=False)
            yield Static("", id="result-status")

    def on_mount(self) -> None:
        self.query_one("#result-scroll").focus()
        self._execute()

    def _failed(self, error: BaseException, shown: str) -> None:
        title = error.title if isinstance(error, KubetuiError) else "Internal error"
        self.query_one("#result-output", Static).update("")
        self.query_one("#result-status", Static).update(Text(f"{title}: {shown} — Esc closes", style="bold red"))

    @guarded(group="exec-once", failed=_failed)
    def _execute(self):
        return self._run(self._cancel.is_set)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "exec-once":
            return
        status = self.query_one("#result-status", Static)
        if event.state == WorkerState.SUCCESS:  # a failure took the app's error route (`_failed`)
            self.result = result = event.worker.result
            self.query_one("#result-output", Static).update(result.output or "(no output)")
            if result.error is not None:
                status.update(f"[b red]{result.error.title}: {result.error.message}[/]")
            else:
                colour = "green" if result.exit_code == 0 else "yellow"
                dropped = f" · {result.dropped_bytes} more bytes not shown" if result.dropped_bytes else ""
                status.update(f"[b {colour}]exited with code {result.exit_code}[/]{dropped} — Esc closes")

    def action_close(self) -> None:
        self._cancel.set()
        self.dismiss(None)
