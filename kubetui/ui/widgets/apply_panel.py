"""The apply side panel: pick or type a manifest, see local problems as you type, ask for a plan,
apply it, delete its objects.

Key decisions: the panel never talks to the cluster; it posts `PlanRequested`,
`ApplyRequested` and `DeleteRequested` with the editor's text, and the screen's workers answer
through `show_plan`, `show_report`, `show_deleted`. Local checks (`model.parse_manifests`) run
on every pause in typing, so a bad name shows the API server's own complaint before anything is
sent. They run in a thread worker, one at a time: a text of any size, or a hostile one, never
holds the keys up, and an answer about a text that has changed since is dropped (the newest
text is checked next). The panel is docked beside the pod table and resized by dragging its left
edge (or `<`, `>` on the screen).
"""

from __future__ import annotations

from pathlib import Path

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Static, TextArea
from textual.worker import Worker, WorkerState

from kubetui.model import parse_manifests
from kubetui.ui.widgets.apply_results import ApplyResults
from kubetui.ui.widgets.manifest_browser import ManifestBrowser, ManifestSource
from kubetui.ui.widgets.manifest_editor import ManifestEditor

MIN_WIDTH = 36
CHECK_DELAY = 0.25  # seconds of quiet typing before the local check runs
NEW_TEMPLATE = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: my-pod\nspec:\n  containers:\n    - name: app\n" \
               "      image: nginx:1.16\n"


class PanelGrip(Widget):
    """The panel's left edge: drag it to resize the panel."""

    DEFAULT_CSS = "PanelGrip { dock: left; width: 1; height: 100%; background: $panel-lighten-1; }" \
                  "PanelGrip:hover { background: $accent; }"

    def render(self) -> str:
        return ""

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.capture_mouse()
        event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.app.mouse_captured is self:
            panel = self.parent
            if isinstance(panel, ApplyPanel):
                panel.set_width(self.screen.size.width - event.screen_x)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self.release_mouse()


class ApplyPanel(Vertical):
    """Manifests: browser, editor, buttons, results."""

    DEFAULT_CSS = """
    ApplyPanel { dock: right; width: 50%; display: none; padding-left: 1; background: $surface; }
    ApplyPanel.-open { display: block; }
    ApplyPanel #apply-title { height: 1; text-style: bold; color: $accent; }
    ApplyPanel ManifestBrowser { height: 1fr; min-height: 4; max-height: 12; }
    ApplyPanel ManifestEditor { height: 1fr; min-height: 5; }
    ApplyPanel ApplyResults { height: 1fr; min-height: 4; }
    ApplyPanel .apply-row { height: 1; margin-top: 1; }
    ApplyPanel .apply-row Button { min-width: 8; margin-right: 1; }
    ApplyPanel .apply-row Checkbox { margin-right: 2; }
    """

    BINDINGS = [
        Binding("f2", "check", "Dry run", show=True),
        Binding("f3", "apply", "Apply", show=True),
        Binding("f8", "delete", "Delete objects", show=True),
        Binding("ctrl+s", "save", "Save", show=True),
        Binding("escape", "leave", "Back", show=False),
    ]

    class PlanRequested(Message):
        """Dry-run the text's objects and show the plan."""

        def __init__(self, text: str, source: str, force: bool) -> None:
            super().__init__()
            self.text, self.source, self.force = text, source, force

    class ApplyRequested(Message):
        """Apply the text's objects (server-side apply)."""

        def __init__(self, text: str, source: str, force: bool, all_or_nothing: bool) -> None:
            super().__init__()
            self.text, self.source, self.force, self.all_or_nothing = text, source, force, all_or_nothing

    class DeleteRequested(Message):
        """Delete the text's objects (after the screen asked for confirmation)."""

        def __init__(self, text: str, source: str) -> None:
            super().__init__()
            self.text, self.source = text, source

    class Closed(Message):
        """The user left the panel (Esc): the screen gives the table its focus back."""

    def __init__(self, directory: Path, *, readonly: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.directory = directory
        self.readonly = readonly
        self.source = ManifestSource("new", "New")
        self.saved_text = NEW_TEMPLATE
        self._new_text = NEW_TEMPLATE
        self._check_timer = None
        self._checked_text: str | None = None  # the text last checked, or being checked
        self._check_wanted: tuple[str, str] | None = None  # (text, source) to check when the running check ends
        self._check_generation = 0  # bumped by every newer text and every request: older answers are stale
        self._checking = False

    def compose(self) -> ComposeResult:
        yield PanelGrip()
        yield Static("", id="apply-title")
        browser = ManifestBrowser(self.directory, id="apply-browser")
        browser.border_title = "Apply manifests"
        yield browser
        yield ManifestEditor(NEW_TEMPLATE, id="apply-editor")
        with Horizontal(classes="apply-row"):
            yield Button("Dry run F2", id="apply-check", variant="primary", compact=True)
            yield Button("Apply F3", id="apply-apply", variant="success", disabled=self.readonly, compact=True)
            yield Button("Delete F8", id="apply-delete", variant="error", disabled=self.readonly, compact=True)
            yield Button("Save ^S", id="apply-save", compact=True)
        with Horizontal(classes="apply-row"):
            yield Checkbox("all-or-nothing", True, id="apply-all-or-nothing", compact=True)
            yield Checkbox("force", False, id="apply-force", compact=True)
        yield ApplyResults(id="apply-results")

    def on_mount(self) -> None:
        self._update_title()
        self.run_local_check()

    # -- parts -----------------------------------------------------------------------------------
    @property
    def editor(self) -> ManifestEditor:
        return self.query_one(ManifestEditor)

    @property
    def browser(self) -> ManifestBrowser:
        return self.query_one(ManifestBrowser)

    @property
    def results(self) -> ApplyResults:
        return self.query_one(ApplyResults)

    @property
    def all_or_nothing(self) -> bool:
        return self.query_one("#apply-all-or-nothing", Checkbox).value

    @property
    def force(self) -> bool:
        return self.query_one("#apply-force", Checkbox).value

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def set_width(self, width: int) -> None:
        screen_width = self.screen.size.width if self.is_mounted else 200
        self.styles.width = max(MIN_WIDTH, min(width, screen_width - 30))

    def resize(self, delta: int) -> None:
        self.set_width(self.outer_size.width + delta)

    # -- choosing and editing ------------------------------------------------------------------------
    def on_manifest_browser_source_chosen(self, message: ManifestBrowser.SourceChosen) -> None:
        message.stop()
        if self.load(message.source):
            # Focus now, in the same step as the text (focus() would wait a message): keys typed
            # right after the text shows land in the editor.
            self.screen.set_focus(self.editor)

    def load(self, source: ManifestSource) -> bool:
        """Show a source in the editor; False (and a message) if it cannot be read."""
        if self.source.kind == "new":
            self._new_text = self.editor.text
        try:
            text = self._read(source)
        except OSError as exc:
            gone = isinstance(exc, FileNotFoundError)
            message = f"the file {source.path} no longer exists" if gone else f"cannot read {source.path}: {exc}"
            self.results.show(message)
            self.app.notify(message, title="Cannot open", severity="error")
            return False
        self.source, self.saved_text = source, text
        self.editor.load_text(text)
        self._update_title()
        self.run_local_check(force=True)
        return True

    def load_manifest_text(self, text: str, file_name: str) -> None:
        """Show a manifest that is in no file yet (an object from the cluster); `ctrl+s` saves it
        as ``file_name`` in the manifests directory (numbered if taken)."""
        if self.source.kind == "new":
            self._new_text = self.editor.text
        self.source, self.saved_text = ManifestSource("object", file_name), ""
        self.editor.load_text(text)
        self._update_title()
        self.run_local_check(force=True)

    def _read(self, source: ManifestSource) -> str:
        if source.kind == "new":
            return self._new_text
        if source.kind == "sample":
            from importlib import resources

            return resources.files("kubetui.samples").joinpath(source.name).read_text(encoding="utf-8")
        return Path(source.path).read_text(encoding="utf-8")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._update_title()
        if self._check_timer is not None:
            self._check_timer.stop()
        self._check_timer = self.set_timer(CHECK_DELAY, self.run_local_check)

    def run_local_check(self, *, force: bool = False) -> None:
        """Check the editor's text off the UI thread; its problems show when the answer comes.
        Unless forced, a text already checked keeps what the results show (a plan, say)."""
        text = self.editor.text
        if text == self._checked_text and not force:
            return
        self._checked_text = text
        self._check_wanted = (text, self.source.label)
        self._check_generation += 1
        if not self._checking:
            self._start_check()

    def _start_check(self) -> None:
        text, source = self._check_wanted
        self._check_wanted = None
        self._checking = True
        self._check(text, source, self._check_generation)

    @work(thread=True, group="local-check", exit_on_error=False)
    def _check(self, text: str, source: str, generation: int) -> None:
        parsed = parse_manifests(text, source)
        self.app.call_from_thread(self._checked, text, generation, parsed)

    def _checked(self, text: str, generation: int, parsed) -> None:
        self._checking = False
        if self._check_wanted is not None:  # the text changed while this one was read: check the newest
            self._start_check()
            return
        if generation != self._check_generation or text != self.editor.text:
            return  # a request answers for this text now, or an edit since will be checked after its pause
        if parsed.problems:
            count = len(parsed.problems)
            self.results.show(f"Local check: {count} problem{'s' * (count != 1)} — nothing will be sent until "
                              "fixed (all-or-nothing)", problems=parsed.problems)
        else:
            objects = len(parsed.manifests)
            self.results.show(f"Local check: {objects} object{'s' * (objects != 1)}, no problems — F2 dry run, "
                              "F3 apply")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "local-check" or event.state != WorkerState.ERROR:
            return
        # A bug in the checks must not leave the panel waiting for an answer that never comes.
        self._checking = False
        error = event.worker.error
        self.results.show(f"Local check failed: internal error ({type(error).__name__}: {error})")
        if self._check_wanted is not None:
            self._start_check()

    def _update_title(self) -> None:
        modified = self.is_mounted and self.editor.text != self.saved_text
        label = "New buffer" if self.source.kind == "new" else self.source.label
        self.query_one("#apply-title", Static).update(
            f"{label}{' · modified' if modified else ''}{' · read-only' if self.readonly else ''}")

    # -- actions -----------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {"apply-check": self.action_check, "apply-apply": self.action_apply,
                   "apply-delete": self.action_delete, "apply-save": self.action_save}
        action = actions.get(event.button.id or "")
        if action:
            action()

    def _settle_local_check(self) -> None:
        """The request about to be posted answers for the current text (the screen checks it
        again): neither a pending timer nor a running check may overwrite that answer later."""
        if self._check_timer is not None:
            self._check_timer.stop()
            self._check_timer = None
        self._checked_text = self.editor.text
        self._check_wanted = None
        self._check_generation += 1

    def action_check(self) -> None:
        self._settle_local_check()
        self.post_message(self.PlanRequested(self.editor.text, self.source.label, self.force))

    def action_apply(self) -> None:
        if self.readonly:
            self.app.notify("read-only: applying is disabled (F2 dry run still works)", severity="warning")
            return
        self._settle_local_check()
        self.post_message(self.ApplyRequested(self.editor.text, self.source.label, self.force, self.all_or_nothing))

    def action_delete(self) -> None:
        if self.readonly:
            self.app.notify("read-only: deleting is disabled", severity="warning")
            return
        self._settle_local_check()
        self.post_message(self.DeleteRequested(self.editor.text, self.source.label))

    def action_save(self) -> None:
        """Save to the file; a sample or the New buffer becomes a file in the manifests directory."""
        text = self.editor.text
        target = self.source.path if self.source.kind == "file" else self._new_file_path()
        try:
            Path(target).write_text(text, encoding="utf-8")
        except OSError as exc:
            self.app.notify(f"cannot save {target}: {exc.strerror or exc}", title="Not saved", severity="error")
            return
        if self.source.kind != "file":
            self.source = ManifestSource("file", Path(target).name, Path(target))
            self.browser.reload_directory()
        self.saved_text = text
        self._update_title()
        self.app.notify(f"saved {target}", title="Saved")

    def _new_file_path(self) -> Path:
        stem = Path(self.source.name).stem if self.source.kind in ("sample", "object") else "new-manifest"
        candidate, number = self.directory / f"{stem}.yaml", 1
        while candidate.exists():
            candidate, number = self.directory / f"{stem}-{number}.yaml", number + 1
        return candidate

    def action_leave(self) -> None:
        if self.editor.has_focus:
            self.screen.set_focus(self.browser)  # now: keys already typed follow the focus
        else:
            self.post_message(self.Closed())

    def on_apply_results_entry_chosen(self, message: ApplyResults.EntryChosen) -> None:
        line = message.entry.line
        problem_or_cause = message.entry.problem is not None or (
            message.entry.outcome is not None and not message.entry.outcome.ok)
        if line and problem_or_cause:
            message.stop()  # a line of the manifest: ours; an object: the screen's (jump to the pod)
            column = message.entry.problem.column if message.entry.problem else 1
            self.editor.go_to_line(line, column or 1)
            self.editor.focus()

    # -- what the screen calls with the answers --------------------------------------------------------
    def show_busy(self, what: str) -> None:
        self.results.show(f"{what}…")

    def show_outcomes(self, summary: str, outcomes, problems=()) -> None:
        self.results.show(summary, list(outcomes), list(problems))
