"""The results list of the apply panel: local problems, a dry-run plan, or what applying did.

Key decisions: one option per object (its kubectl line, then the server's message, the causes at
their manifest lines, conflicting fields with their managers, and for a plan the diff), so a
whole set reads at a glance (after a part-way failure: what was rolled back, and what could not
be, in the server's words); choosing an option only posts `ApplyResults.EntryChosen` (the
screen jumps to the pod, or the panel to the line).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kubetui.kube.apply_outcomes import Outcome
from kubetui.model import Problem

DIFF_LINES = 40  # per object; a longer diff is cut with a note
_MARKS = {
    "will be created": ("+", "green"), "created": ("✓", "green"),
    "will be configured": ("~", "yellow"), "configured": ("✓", "yellow"),
    "unchanged": ("=", "dim"), "deleted": ("✓", "magenta"),
    "rejected": ("✗", "bold red"), "conflict": ("✗", "bold red"), "failed": ("✗", "bold red"),
    "not applied": ("·", "dim"),
}


@dataclass
class ResultEntry:
    """What one option stands for: an outcome (object) or a local problem (line)."""

    outcome: Outcome | None = None
    problem: Problem | None = None

    @property
    def line(self) -> int:
        if self.problem is not None:
            return self.problem.line
        if self.outcome is not None:
            located = [c.line for c in self.outcome.causes if c.line]
            return located[0] if located else 0
        return 0


def outcome_renderable(outcome: Outcome) -> Group:
    mark, style = _MARKS.get(outcome.action, ("?", ""))
    if outcome.rolled_back and outcome.ok:
        mark, style = "↺", "yellow"
    elif outcome.rollback == "failed":
        mark, style = "!", "bold red"
    head = Text.assemble((f"{mark} ", style), (outcome.line() if outcome.ok else f"{outcome.ref} {outcome.action}",
                                                style))
    if outcome.namespace and outcome.action != "not applied":
        head.append(f"  ({outcome.namespace})", style="dim")
    parts: list = [head]
    if not outcome.ok:
        parts.append(Text("  " + outcome.message + (f" (after {outcome.attempts} attempts)"
                                                     if outcome.attempts > 1 else ""), style="red"))
        if outcome.rolled_back:
            parts.append(Text(f"  the write had reached the server: rolled back ({outcome.rollback})", style="yellow"))
    if outcome.rollback == "failed":
        parts.append(Text(f"  could not be rolled back: {outcome.rollback_error}", style="bold red"))
    for cause in outcome.causes:
        if cause.reason == "FieldManagerConflict":
            continue
        where = f"line {cause.line}: " if cause.line else ""
        parts.append(Text(f"  {where}{cause.field}: {cause.message}".rstrip(": "), style="yellow"))
    if outcome.conflicts:
        parts.append(Text("  conflicting fields (press F3 with \"force\" ticked to take them over):", style="yellow"))
        for conflict in outcome.conflicts:
            parts.append(Text(f"    {conflict.field}  managed by \"{conflict.manager}\"", style="yellow"))
    if outcome.diff:
        parts.append(_diff_text(outcome.diff))
    return Group(*parts)


def _diff_text(diff: str) -> Text:
    lines = diff.splitlines()
    text = Text()
    for line in lines[:DIFF_LINES]:
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else \
            "cyan" if line.startswith("@@") else "dim"
        text.append("    " + line + "\n", style=style)
    if len(lines) > DIFF_LINES:
        text.append(f"    … {len(lines) - DIFF_LINES} more diff lines\n", style="dim")
    text.rstrip()
    return text


def problem_renderable(problem: Problem) -> Text:
    return Text.assemble(("✗ ", "bold red"), (problem.where(), "bold"), "\n", ("  " + problem.message, "red"))


class ApplyResults(OptionList):
    """A summary line, then one option per object or problem."""

    DEFAULT_CSS = """
    ApplyResults { height: 1fr; min-height: 6; border: round $panel-lighten-2; }
    ApplyResults:focus { border: round $accent; }
    """

    class EntryChosen(Message):
        def __init__(self, entry: ResultEntry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[ResultEntry] = []
        self.summary = ""

    def show(self, summary: str, outcomes: list[Outcome] = (), problems: list[Problem] = ()) -> None:
        """Replace the list: `summary` first, then the problems, then the outcomes."""
        self.summary = summary
        self.entries = [ResultEntry(problem=p) for p in problems] + [ResultEntry(outcome=o) for o in outcomes]
        options = [Option(Text(summary, style="bold"), disabled=True)]
        for index, entry in enumerate(self.entries):
            body = problem_renderable(entry.problem) if entry.problem else outcome_renderable(entry.outcome)
            options.append(Option(body, id=str(index)))
        self.clear_options()
        self.add_options(options)
        if self.entries:
            self.highlighted = 1  # Enter acts on the first object at once
            self.scroll_home(animate=False, immediate=True)  # and the summary stays in view

    def lines(self) -> list[str]:
        """Plain text of every entry (tests and screen readers)."""
        out = [self.summary]
        for entry in self.entries:
            if entry.problem:
                out.append(f"{entry.problem.where()}: {entry.problem.message}")
            else:
                outcome = entry.outcome
                text = outcome.line() if outcome.ok else f"{outcome.ref} {outcome.action}: {outcome.message}" + (
                    f" (after {outcome.attempts} attempts)" if outcome.attempts > 1 else "")
                if outcome.rollback == "failed":
                    text += f" (could not be rolled back: {outcome.rollback_error})"
                elif outcome.rolled_back and not outcome.ok:
                    text += f" (the write had reached the server: rolled back, {outcome.rollback})"
                out.append(text)
        return out

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.EntryChosen(self.entries[int(event.option.id)]))
