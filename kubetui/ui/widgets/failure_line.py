"""`FailureLine`: one line under the pod table saying why the pod under the cursor is failing.

Key decisions: it speaks only for a pod whose STATUS is an error (`model.status_tone`) and is
blank otherwise, but always holds its row: showing and hiding it would re-lay the whole screen
at every cursor move between a failing and a healthy pod. What it says comes from a `diagnose(namespace, name, status)` callable the view hands in (the pod read
again, its failing container's last exit, the telling line of that instance's log), run in a
guarded thread worker, never on the UI loop. Answers are cached by pod uid, STATUS and restart
count, so moving the cursor back costs nothing, and a restart or a new state reads again: the
line is never about an older instance than the row. A pod that cannot be read is said on the
line (after the app's one error route) and not asked again for the same state. A read starts
once the cursor rests on a pod (`REST_SECONDS`), so holding `j` through failing pods sends nothing.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import partial
from typing import Callable

from rich.text import Text
from textual.widgets import Static

from kubetui.errors import KubetuiError
from kubetui.model import status_tone
from kubetui.ui.workers import run_guarded

__all__ = ["FailureLine"]

_CACHED = 256  # answers kept (most recently used)
REST_SECONDS = 0.15

Key = tuple[str, str, str, str, int]  # namespace, name, uid, STATUS, restart count


class FailureLine(Static):
    DEFAULT_CSS = "FailureLine { height: 1; padding: 0 1; color: $error; background: $panel; }"

    def __init__(self, diagnose: Callable[[str, str, str], str], *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.diagnose = diagnose
        self.text = ""
        self.answer_for: Key | None = None  # the state the text answers for (None: none yet)
        self._answers: OrderedDict[Key, str] = OrderedDict()
        self._reading: set[Key] = set()
        self._wanted: Key | None = None
        self._rest_timer = None

    def follow(self, row) -> None:
        """The cursor's row now (a `PodRow`, or None): say why it fails, if it does."""
        if row is None or status_tone(row.status) != "error":
            self._wanted = None
            if self.text:
                self._show("", None)
            return
        key: Key = (row.namespace, row.name, row.uid, row.status, row.restart_count)
        if key == self._wanted:
            return
        self._wanted = key
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
            self._show(answer, key)
            return
        self._show(f"{row.status}: reading why…", None)
        if self._rest_timer is not None:
            self._rest_timer.stop()
        self._rest_timer = self.set_timer(REST_SECONDS, partial(self._rested, key))

    def _rested(self, key: Key) -> None:
        self._rest_timer = None
        if key == self._wanted and key not in self._reading:
            self._reading.add(key)
            run_guarded(self, partial(self._read, key), group="failure", exclusive=False,
                        failed=lambda node, error, shown: node._unreadable(key, error, shown))

    def _read(self, key: Key) -> None:
        namespace, name, _, status, _ = key
        line = self.diagnose(namespace, name, status)
        self.app.call_from_thread(self._answered, key, line or f"{status}: nothing in the pod says more now")

    def _unreadable(self, key: Key, error: BaseException, shown: str) -> None:
        message = error.message if isinstance(error, KubetuiError) else shown
        self._answered(key, f"{key[3]}: cannot read why: {message}")

    def _answered(self, key: Key, text: str) -> None:
        self._reading.discard(key)
        self._answers[key] = text
        while len(self._answers) > _CACHED:
            self._answers.popitem(last=False)
        if key == self._wanted:
            self._show(text, key)

    def _show(self, text: str, key: Key | None) -> None:
        self.text, self.answer_for = text, key
        self.update(Text(text, no_wrap=True, overflow="ellipsis"))
        self.tooltip = text  # the whole line, when the terminal is narrower
