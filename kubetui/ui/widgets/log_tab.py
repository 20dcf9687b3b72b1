"""`LogTab`: one followed log in a tab: a status line, the `LogView`, a search line.

Key decisions: the follower (`kube.log_follow.LogFollow`) comes from a factory the session kind
hands in, so this widget never imports the client; it runs in a thread worker and reaches the
UI only through the view's feeder (lines, coalesced there) and one message per state. A change
of what is read (container, previous instance, timestamps, since/tail) starts a new follower
into a fresh view, as running `kubectl logs` again with other flags would (each read reports
that `kubectl logs` line); a change of how it
is shown (follow, wrap, search, clear) happens in place. The status line says what is read,
how the stream is doing and where the view is; it is rewritten four times a second at most.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from kubetui.errors import KubetuiError
from kubetui.model import kubectl_equivalent as kubectl
from kubetui.model.log_choices import ranges_for, save_name
from kubetui.model.log_search import compile_search
from kubetui.ui.messages import ActionPerformed
from kubetui.ui.screens.log_container_picker import ALL_CONTAINERS, LogContainerPicker
from kubetui.ui.widgets.log_view import LogView
from kubetui.ui.workers import run_guarded

STATUS_SECONDS = 0.25
SAVE_ATTEMPTS = 5


class LogTab(Vertical):
    """``target`` is a `LogTarget`, ``options`` the `LogOptions` of the first read; ``follower``
    builds a `LogFollow` from (target, on_lines=, on_state=, options=)."""

    DEFAULT_CSS = """
    LogTab { height: 1fr; }
    LogTab > .log-status { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    LogTab > .log-status.-ended { color: $warning; }
    LogTab > .log-status.-failed { color: $error; }
    LogTab > #log-search { dock: bottom; display: none; border: tall $accent; }
    """

    BINDINGS = [
        Binding("f", "toggle_follow", "Follow (autoscroll) on/off"),
        Binding("w", "toggle_wrap", "Wrap lines"),
        Binding("t", "toggle_timestamps", "Timestamps"),
        Binding("p", "toggle_previous", "Previous instance (--previous)"),
        Binding("C,shift+c", "pick_container", "Container / all containers"),
        Binding("r", "cycle_range(1)", "Since / tail: next choice"),
        Binding("R,shift+r", "cycle_range(-1)", "Since / tail: previous choice", show=False),
        # priority: the focus moves to the search line before the keys typed after `/` arrive
        Binding("slash", "open_search", "Search", priority=True),
        Binding("n", "find(True)", "Next match (newer)", show=False),
        Binding("N,shift+n", "find(False)", "Previous match (older)", show=False),
        Binding("ctrl+s", "save", "Save to a file"),
        Binding("ctrl+l", "clear", "Clear"),
        Binding("escape", "back", "Back to the view (the tab stays)"),
    ]

    class BackRequested(Message):
        """Esc: show the resource view again; this tab keeps following."""

        def __init__(self, tab: "LogTab") -> None:
            super().__init__()
            self.tab = tab

    class _StateChanged(Message):
        def __init__(self, generation: int, state: Any) -> None:
            super().__init__()
            self.generation, self.state = generation, state

    def __init__(self, title: str, target: Any, options: Any, follower: Callable[..., Any], *,
                 containers: tuple[str, ...] = (), save_dir: Path, now: Callable[[], datetime],
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.target = target
        self.base_options = options
        self.follower_factory = follower
        self.containers = containers
        self.save_dir = Path(save_dir)
        self.now = now
        # `--tail`/`--since`/`-p` of the first read (the `:` line's `logs`) are where the choices start
        self.ranges, self.range_index = ranges_for(options.tail_lines, options.since_seconds)
        self.timestamps = bool(getattr(options, "timestamps", False))
        self.previous = bool(options.previous)
        self.view = LogView()
        self.follower: Any = None
        self.state: Any = None  # the follower's last LogState
        self._generation = 0
        self._status_text = ""

    def compose(self) -> ComposeResult:
        yield Static(f"{self.title} · connecting…", classes="log-status", markup=False)
        yield self.view
        yield Input(placeholder="search: a regex, case-insensitive · Enter finds the newest match · "
                                "n / N next / previous · Esc clears", id="log-search")

    def on_mount(self) -> None:
        self.set_interval(STATUS_SECONDS, self._show_status)
        self._start()

    def on_unmount(self) -> None:
        self.close_session()
        self.view.clear()  # the lines go now, not whenever the collector frees the widgets

    # -- the follower ------------------------------------------------------------------------------
    @property
    def options(self) -> Any:
        chosen = self.ranges[self.range_index]
        return replace(self.base_options, previous=self.previous, timestamps=self.timestamps,
                       tail_lines=chosen.tail_lines, since_seconds=chosen.since_seconds, since_time=None)

    @property
    def prefixed(self) -> bool:
        return self.target.selector is not None or self.target.all_containers

    def _start(self) -> None:
        """Read afresh with the current choices: a new follower into an empty view."""
        self.close_session()
        self._generation += 1
        self.state = None
        self.view.reset(prefixed=self.prefixed, stamped=self.timestamps)
        self.view.set_note("connecting…")
        follower = self.follower_factory(self.target, on_lines=self.view.feeder(),
                                         on_state=partial(self._state_from_thread, self._generation),
                                         options=self.options)
        self.follower = follower
        run_guarded(self, follower.run, group="log-follow", exclusive=False)
        self._show_status()
        self.app.post_message(ActionPerformed(self.kubectl_logs()))

    def kubectl_logs(self) -> Any:
        """The `kubectl logs` that reads what the tab reads now."""
        target, options = self.target, self.options
        return kubectl.logs_of(target.namespace, pod=target.pod, selector=target.selector,
                               container=target.container, all_containers=target.all_containers,
                               follow=options.follow, previous=options.previous, timestamps=options.timestamps,
                               tail=options.tail_lines, since_seconds=options.since_seconds)

    def _state_from_thread(self, generation: int, state: Any) -> None:
        self.post_message(self._StateChanged(generation, state))

    def on_log_tab__state_changed(self, message: _StateChanged) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self.state = message.state
        self.view.set_note(self._note())
        self._show_status()

    def close_session(self) -> None:
        """Stop following (the tab is going away, or reads afresh); returns at once."""
        follower, self.follower = self.follower, None
        if follower is not None:
            follower.stop()

    # -- what the tab says -------------------------------------------------------------------------
    def _stream_text(self) -> tuple[str, str]:
        """(what the stream is doing, "" / "ended" / "failed") for the status line."""
        state = self.state
        if state is None or state.kind == "connecting":
            return "connecting…", ""
        if state.kind == "live":
            return ("live" if state.streams <= 1 else f"live, {state.streams} streams"), ""
        if state.kind == "waiting":
            return ("waiting for pods" if self.target.selector else "waiting for the container to start"), ""
        if state.kind == "error":
            return f"{state.error.message if state.error else 'error'} (retrying)", "failed"
        if state.error is not None:
            return f"ended: {state.error.message}", "failed"
        return ("previous instance: read in full" if self.previous else "ended"), "ended"

    def _note(self) -> str:
        """What the view says while it has no line."""
        text, _ = self._stream_text()
        if self.state is not None and self.state.kind == "live":
            return f"no lines yet ({self.ranges[self.range_index].label})"
        return text

    def source_text(self) -> str:
        """What is read: `web/nginx`, `web, all containers`, `deploy/web (app=web)`."""
        target = self.target
        if target.selector is not None:
            which = ", all containers" if target.all_containers else \
                f", container {target.container}" if target.container else ""
            return f"{self.title} ({target.selector or 'every pod'}){which}"
        return f"{target.pod}, all containers" if target.all_containers else f"{target.pod}/{target.container}"

    def status_text(self) -> str:
        view = self.view
        stream, _ = self._stream_text()
        parts = [self.source_text(), self.ranges[self.range_index].label]
        if self.previous:
            parts.append("previous instance")
        if self.timestamps:
            parts.append("timestamps")
        parts += [stream, f"{len(view.ring):,} lines"]
        parts.append("following" if view.follow else f"paused, {view.new_since_pause:,} new" if view.new_since_pause
                     else "paused")
        if view.wrap:
            parts.append("wrap")
        if view.search is not None:
            parts.append(f"/{view.search.text}")
        return " · ".join(parts)

    def _show_status(self) -> None:
        text = self.status_text()
        if text == self._status_text:
            return
        self._status_text = text
        _, kind = self._stream_text()
        status = self.query_one(".log-status", Static)
        status.update(Text(text, no_wrap=True, overflow="ellipsis"))
        status.set_class(kind == "ended", "-ended")
        status.set_class(kind == "failed", "-failed")

    # -- keys: how it is shown -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "open_search" and self.screen.focused is self.query_one("#log-search", Input):
            return False  # a "/" typed in the search line is text
        if action == "pick_container" and len(self.containers) < 2 and not self.target.selector:
            return False
        return super().check_action(action, parameters)

    def action_toggle_follow(self) -> None:
        self.view.set_follow(not self.view.follow)
        self._show_status()

    def action_toggle_wrap(self) -> None:
        self.view.set_wrap(not self.view.wrap)
        self._show_status()

    def action_clear(self) -> None:
        self.view.clear()
        self.view.set_note("cleared: new lines show here")
        self._show_status()

    def action_back(self) -> None:
        field = self.query_one("#log-search", Input)
        if self.screen.focused is field:
            self._close_search(clear=True)
            return
        self.post_message(self.BackRequested(self))

    # -- keys: what is read ---------------------------------------------------------------------------
    def action_toggle_timestamps(self) -> None:
        self.timestamps = not self.timestamps
        self._start()

    def action_toggle_previous(self) -> None:
        self.previous = not self.previous
        self._start()

    def action_cycle_range(self, step: int) -> None:
        self.range_index = (self.range_index + step) % len(self.ranges)
        self._start()

    def action_pick_container(self) -> None:
        current = ALL_CONTAINERS if self.target.all_containers else self.target.container
        self.app.push_screen(LogContainerPicker(self.title, self.containers, current), self._container_chosen)

    def _container_chosen(self, choice: str | None) -> None:
        if choice is None:
            return
        if choice == ALL_CONTAINERS:
            target = replace(self.target, container=None, all_containers=True)
        else:
            target = replace(self.target, container=choice, all_containers=False)
        if target != self.target:
            self.target = target
            self._start()

    # -- search ----------------------------------------------------------------------------------
    def action_open_search(self) -> None:
        field = self.query_one("#log-search", Input)
        field.value = self.view.search.text if self.view.search else ""
        field.cursor_position = len(field.value)
        field.display = True
        self.screen.set_focus(field)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "log-search":
            event.stop()
            self.view.set_search(compile_search(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "log-search":
            return
        event.stop()
        self._close_search(clear=False)
        search = compile_search(event.value)
        self.view.set_search(search)
        if search is not None and self.view.find(forwards=False, start=self.view.ring.appended - 1) is None:
            self.notify(f"no line matches {search.text!r}", title="Search", severity="warning")
        self._show_status()

    def _close_search(self, *, clear: bool) -> None:
        self.query_one("#log-search", Input).display = False
        if clear:
            self.view.set_search(None)
        self.screen.set_focus(self.view)
        self._show_status()

    def action_find(self, forwards: bool) -> None:
        if self.view.search is None:
            self.notify("nothing to find yet: press / and type what to look for", title="Search",
                        severity="warning")
            return
        if self.view.find(forwards) is None:
            self.notify(f"no match {'below' if forwards else 'above'} for {self.view.search.text!r}", title="Search",
                        severity="warning")
        self._show_status()

    # -- saving --------------------------------------------------------------------------------------
    def action_save(self) -> None:
        lines = self.view.snapshot()
        run_guarded(self, partial(self._write, lines, self.save_dir, self.now()), group="log-save")

    def _write(self, lines: list[bytes], directory: Path, when: datetime) -> None:
        """Worker thread: the kept lines, as the server sent them, into a new file."""
        for _ in range(SAVE_ATTEMPTS):
            try:
                path = directory / save_name(self.title, when, {entry.name for entry in directory.iterdir()})
                with open(path, "xb") as out:
                    out.write(b"".join(line + b"\n" for line in lines))
                break
            except FileExistsError:  # someone took the name meanwhile: choose again
                continue
            except OSError as exc:
                raise KubetuiError(f"could not save the log in {directory}: {exc.strerror or exc}", "Save") from None
        else:
            raise KubetuiError(f"could not find a free file name in {directory}", "Save")
        self.app.call_from_thread(self.notify, f"{len(lines):,} lines saved to {path}", title="Log saved")
