"""Result tabs: what a command typed on the `:` line printed, as a terminal would show it.

Key decisions: a result tab is an `InspectTab` (searchable, scrollable, Esc back to the views)
whose text is read once, in a thread worker, by a runner returning `commands.printing.Printed`;
its status line gives the command, the exit code and when it ran, never "live". A command that
follows something until it is done (`rollout status`) reads again every second and stops when
its runner says so; the tab then says it ended.
"""

from __future__ import annotations

from typing import Any, Callable

from kubetui.ui.widgets.inspect_tab import InspectTab, Page

__all__ = ["ResultSessions", "ResultTab"]

FOLLOW_SECONDS = 1.0


class ResultTab(InspectTab):
    """``run()`` returns a `Printed`, or (Printed, done) when ``follow`` reads until done."""

    def __init__(self, command: str, run: Callable[[], Any], *, follow: bool = False) -> None:
        super().__init__(command, "result", self._page, interval=FOLLOW_SECONDS)
        self.command = command
        self.run_command = run
        self.follow = follow
        self.printed: Any = None
        self.done = not follow

    def _page(self) -> Page:
        answer = self.run_command()
        printed, done = answer if self.follow else (answer, True)
        return Page(printed.text, data=(printed, done))

    def _poll(self) -> None:  # the base class reads again every interval: only while following
        if self.follow and not self.done:
            super()._poll()

    def _show_page(self, page: Page) -> None:
        self.printed, self.done = page.data
        super()._show_page(page)

    def _update_status(self) -> None:
        super()._update_status()
        if self.printed is None and not self._problem:
            state = "running…"
        elif self._problem:
            state = f"failed: {self._problem}"
        else:
            state = f"exit {self.printed.code} · ran {self._fresh_at}"
            if not self.done:
                state = f"following (read {self._fresh_at}) · Esc back, x in the tab bar stops"
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
