"""Result tabs: what a command typed on the `:` line printed, as a terminal would show it.

Key decisions: a result tab is an `InspectTab` (searchable, scrollable, Esc back to the views)
whose text is read once, in the tab's thread worker, by a runner returning
`commands.printing.Printed`; its status line gives the command, the exit code and when it ran,
never "live". A command that follows something until it is done (`rollout status`) reads again
every second and stops when its runner says so; the tab then says it ended.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any, Callable

from kubetui.ui.widgets.inspect_tab import InspectTab, Page

__all__ = ["ResultSessions", "ResultTab"]

FOLLOW_SECONDS = 1.0


class _Runs:
    """What a result tab follows: one run, or one a second while the command follows something.

    `InspectTab` reads (runs the command, in its worker) at each change this reports."""

    def __init__(self, follow: bool, on_change: Callable[[], None]) -> None:
        self.following = follow
        self.on_change = on_change
        self.finished = threading.Event()  # stopped, or the command said it is done

    def run(self) -> None:
        self.on_change()
        while self.following and not self.finished.wait(FOLLOW_SECONDS):
            self.on_change()

    def stop(self) -> None:
        self.finished.set()

    def snapshot(self) -> SimpleNamespace:
        return SimpleNamespace(ready=True, obj=True, deleted=False)


class ResultTab(InspectTab):
    """``run()`` returns a `Printed`, or (Printed, done) when ``follow`` reads until done."""

    def __init__(self, command: str, run: Callable[[], Any], *, follow: bool = False) -> None:
        super().__init__(command, "result", self._runs, self._read, self._page)
        self.command = command
        self.run_command = run
        self.following = follow
        self.printed: Any = None
        self.done = not follow

    def _runs(self, on_change: Callable[[], None], on_state: Callable[..., None]) -> _Runs:
        return _Runs(self.following, on_change)

    def _read(self, _followed: Any) -> Any:
        answer = self.run_command()
        return answer if self.following else (answer, True)

    @staticmethod
    def _page(material: Any, _now: Any) -> Page:
        printed, done = material
        return Page(printed.text, data=(printed, done))

    def _show_page(self, read: bool, material: Any, page: Page) -> None:
        self.printed, self.done = page.data
        if self.done and self.session is not None:
            self.session.stop()
        super()._show_page(read, material, page)

    def _update_status(self) -> None:
        if self.printed is None and not self._problem:
            state = "running…"
        elif self._problem:
            state = f"failed: {self._problem}"
        else:
            state = f"exit {self.printed.code} · ran {self._updated_at}"
            if not self.done:
                state = f"following (read {self._updated_at}) · Esc back, x in the tab bar stops"
        pager = self.view
        if pager.query_text:
            count = len(pager.matches)
            position = f"{pager.current + 1}/{count}" if count else "no"
            state += f" · {position} matches for “{pager.query_text}” (n/N)"
        self.query_one(".inspect-status").update(f"$ {self.command} · {state}")


class ResultSessions:
    """The result kind of session: one new tab per command run."""

    def __init__(self, area) -> None:
        self.area = area

    def request(self, *_args) -> None:
        """Views never ask for a result tab: only the `:` line opens them (`open`)."""

    def open(self, command: str, run: Callable[[], Any], *, follow: bool = False) -> ResultTab:
        tab = ResultTab(command, run, follow=follow)
        self.area.open_session(_title(command), tab)
        return tab


def _title(command: str) -> str:
    words = command.split()
    if words[:1] == ["kubectl"]:
        words = words[1:]
    title = " ".join(words)
    return title if len(title) <= 28 else title[:27] + "…"
