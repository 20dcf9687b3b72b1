"""`CommandLine`: the `:` line at the bottom of the workspace, with completion and history.

Key decisions: the widget only edits text and posts what was asked (`Submitted`, `Closed`);
running a command is the workspace's business. Completion comes from a `Completions` object
handed in (it fetches names in its own workers): the candidates show above the line as you type,
the first one as grey text after the cursor (→ takes it); `Tab` inserts what all candidates
share, or, when nothing more is shared, cycles through them (`shift+Tab` back). `↑`/`↓` walk
the history (the line being typed is kept as the newest entry), `ctrl+r` searches it backwards
(typing narrows, `ctrl+r` again finds an older match, `Enter` runs the match, `Tab` or `→` takes
it for editing, `Esc` gives the line back). A refused command stays on the line with kubectl's
words under it, to be fixed.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input, Static

from kubetui.model.command_history import History
from kubetui.ui.command_line.completion import Completion, Completions
from kubetui.ui.command_line.history_file import save_history

__all__ = ["CommandInput", "CommandLine"]

SHOWN_CANDIDATES = 12
PLACEHOLDER = ("kubectl command (get pods, exec -it POD -- CMD, apply -f FILE ...) or a resource (deploy) · "
               "Tab completes · ↑↓ history · ctrl+r search · Esc closes")


class _GhostText(Suggester):
    """The first candidate after the cursor, in grey (Input's own suggestion display)."""

    def __init__(self, owner: "CommandLine") -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.owner = owner

    async def get_suggestion(self, value: str) -> str | None:
        return self.owner.ghost_for(value)


class CommandInput(Input):
    """The line itself: Input with the keys of a shell's line editor."""

    BINDINGS = [
        Binding("tab", "complete(1)", "Complete", show=False, priority=True),
        Binding("shift+tab", "complete(-1)", "Previous completion", show=False, priority=True),
        Binding("up", "history(-1)", "Older command", show=False),
        Binding("down", "history(1)", "Newer command", show=False),
        Binding("ctrl+r", "search_history", "Search the history", show=False),
        Binding("escape", "close", "Close", show=False),
    ]

    def _owner(self) -> "CommandLine":
        owner = self.parent
        assert isinstance(owner, CommandLine)
        return owner

    def action_complete(self, step: int) -> None:
        self._owner().complete(step)

    def action_history(self, step: int) -> None:
        self._owner().walk_history(step)

    def action_search_history(self) -> None:
        self._owner().search_history()

    def action_close(self) -> None:
        self._owner().escape()

    async def _on_key(self, event: events.Key) -> None:
        if event.key not in ("tab", "shift+tab"):
            self._owner().cycling = None  # any other key ends a Tab cycle
        await super()._on_key(event)


class CommandLine(Vertical):
    """Hidden until `open()`; see the module doc."""

    DEFAULT_CSS = """
    CommandLine { height: auto; display: none; }
    CommandLine.-open { display: block; }
    CommandLine > #command-hints { height: auto; max-height: 4; padding: 0 1; color: $text-muted;
                                   background: $surface; display: none; }
    CommandLine > #command-hints.-shown { display: block; }
    CommandLine > #command-hints.-problem { color: $error; }
    """

    class Submitted(Message):
        """Run this line (the history has it already)."""

        def __init__(self, line: str) -> None:
            super().__init__()
            self.line = line

    class Closed(Message):
        """The line was closed without running anything: the views take the focus back."""

    def __init__(self, completions: Completions, history: History, history_path: Path | None, *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.completions = completions
        completions.on_update = self._names_arrived
        self.history = history
        self.history_path = history_path
        self.cycling: tuple[Completion, int] | None = None  # the Tab cycle under way
        self._walk: int | None = None  # index in the history while ↑/↓ walk it
        self._draft = ""
        self._search: tuple[int | None, str] | None = None  # (match index, the line before ctrl+r)
        self._problem: tuple[str, str] | None = None  # (the refused line, why)

    def compose(self) -> ComposeResult:
        yield Static("", id="command-hints", markup=False)
        yield CommandInput(placeholder=PLACEHOLDER, id="command", suggester=_GhostText(self))

    @property
    def input(self) -> CommandInput:
        return self.query_one(CommandInput)

    @property
    def hints(self) -> Static:
        return self.query_one("#command-hints", Static)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    # -- opening and closing ----------------------------------------------------------------------
    def open(self, text: str = "") -> None:
        self.add_class("-open")
        self._walk, self._search, self._problem, self.cycling = None, None, None, None
        self.input.value = text
        self.input.cursor_position = len(text)
        self.screen.set_focus(self.input)  # now: keys typed right after `:` land here
        self._show_hints()

    def close(self) -> None:
        self.remove_class("-open")
        self._search = None

    def escape(self) -> None:
        if self._search is not None:
            _, before = self._search
            self._search = None
            self._set_line(before)
            return
        self.close()
        self.post_message(self.Closed())

    def refuse(self, line: str, problem: str) -> None:
        """The command was not run: the line stays for fixing, the reason under it."""
        self.add_class("-open")
        if self.input.value.strip() != line.strip():
            self._set_line(line)
        self._problem = (line, problem)
        self._show_hints()
        self.screen.set_focus(self.input)

    # -- running ---------------------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value
        if self._search is not None:
            index, _ = self._search
            self._search = None
            line = self.history.entries[index] if index is not None else ""
            self._set_line(line)
        self._walk, self.cycling = None, None
        if not line.strip():
            self.escape()
            return
        if self.history.add(line) is not None and self.history_path is not None:
            save_history(self.history, self.history_path)
        self._problem = None
        self.post_message(self.Submitted(line))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._search is not None:
            self._search = (self.history.search(event.value), self._search[1])
        self._show_hints()

    def _set_line(self, text: str) -> None:
        self.input.value = text
        self.input.cursor_position = len(text)

    # -- completion -----------------------------------------------------------------------------------
    def complete(self, step: int) -> None:
        if self._search is not None:
            self._take_search_match()
            return
        field = self.input
        if self.cycling is not None:
            completion, index = self.cycling
            index = (index + step) % len(completion.candidates)
            self._replace(completion, completion.candidates[index], cycle=(completion, index))
            return
        completion = self.completions.complete(field.value, field.cursor_position)
        candidates = completion.candidates
        if not candidates:
            return
        if len(candidates) == 1:
            self._replace(completion, candidates[0])
            return
        shared = _common_prefix(candidates)
        if len(shared) > len(completion.typed):
            self._replace(completion, shared, whole=False)
            return
        index = 0 if step > 0 else len(candidates) - 1
        self._replace(completion, candidates[index], cycle=(completion, index))

    def _replace(self, completion: Completion, candidate: str, *, whole: bool = True,
                 cycle: tuple[Completion, int] | None = None) -> None:
        field = self.input
        value = field.value
        text = completion.replacement(candidate) if whole else candidate
        if cycle is not None:
            text = text.rstrip(" ")  # while cycling, the word stays open for the next Tab
        line = value[:completion.start] + text + value[completion.end:]
        field.value = line
        field.cursor_position = completion.start + len(text)
        if cycle is not None:
            shifted = Completion(completion.start, completion.start + len(text), completion.typed,
                                 completion.candidates, completion.kind, completion.pending)
            self.cycling = (shifted, cycle[1])

    def ghost_for(self, value: str) -> str | None:
        """The line with the first candidate completed, when the cursor is at the end."""
        if self._search is not None or not self.is_mounted or self.input.cursor_position != len(value) or not value:
            return None
        completion = self.completions.complete(value, len(value))
        if not completion.candidates or not completion.typed:
            return None
        return value[:completion.start] + completion.candidates[0]

    def _names_arrived(self) -> None:
        if self.is_open:
            self._show_hints()
            self.input._suggestion = ""
            self.run_worker(self.input.suggester._get_suggestion(self.input, self.input.value),  # type: ignore[union-attr]
                            group="ghost-text", exclusive=True)

    # -- history --------------------------------------------------------------------------------------
    def walk_history(self, step: int) -> None:
        entries = self.history.entries
        if self._search is not None:
            self._take_search_match()
        if not entries:
            return
        if self._walk is None:
            if step > 0:
                return
            self._draft = self.input.value
            self._walk = len(entries)
        self._walk = max(0, min(len(entries), self._walk + step))
        self._set_line(self._draft if self._walk == len(entries) else entries[self._walk])
        if self._walk == len(entries):
            self._walk = None

    def search_history(self) -> None:
        if self._search is None:
            before = self.input.value
            self._search = (self.history.search(""), before)
            self._set_line("")
        else:
            index, before = self._search
            older = self.history.search(self.input.value, index) if index is not None else None
            self._search = (older if older is not None else index, before)
        self._show_hints()

    def _take_search_match(self) -> None:
        index, _ = self._search or (None, "")
        self._search = None
        self._set_line(self.history.entries[index] if index is not None else "")

    # -- what shows above the line ---------------------------------------------------------------------
    def _show_hints(self) -> None:
        hints = self.hints
        text, problem = self._hints_text()
        hints.update(text)
        hints.set_class(bool(text), "-shown")
        hints.set_class(problem, "-problem")

    def _hints_text(self) -> tuple[Text | str, bool]:
        if self._search is not None:
            index, _ = self._search
            match = self.history.entries[index] if index is not None else "(no match)"
            return Text.assemble(("history search ", "bold"), f"“{self.input.value}”: ", (match, "bold"),
                                 "   Enter runs · Tab edits · ctrl+r older · Esc cancels"), False
        if self._problem is not None and self._problem[0].strip() == self.input.value.strip():
            return self._problem[1], True
        if not self.is_mounted or not self.is_open:
            return "", False
        field = self.input
        completion = self.completions.complete(field.value, field.cursor_position)
        candidates = completion.candidates
        if not candidates:
            return ("fetching names…" if completion.pending else ""), False
        shown = "  ".join(candidates[:SHOWN_CANDIDATES])
        more = f"  (+{len(candidates) - SHOWN_CANDIDATES} more)" if len(candidates) > SHOWN_CANDIDATES else ""
        return Text.assemble((f"{completion.kind.value.replace('_', ' ')}: ", "bold"), shown, more), False


def _common_prefix(words: tuple[str, ...]) -> str:
    first, last = min(words), max(words)
    length = 0
    while length < min(len(first), len(last)) and first[length] == last[length]:
        length += 1
    return first[:length]
