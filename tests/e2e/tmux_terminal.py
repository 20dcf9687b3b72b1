"""A real terminal for the end-to-end tests: a command in a tmux window, driven by keys and read
off the screen, and the rows of kubetui's tables on that screen.

A private tmux server (its own socket) keeps each test away from any tmux the developer runs and
from the other tests (under pytest-xdist too). Every wait polls the captured screen until a
deadline; nothing sleeps to synchronise.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.support.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
TMUX = shutil.which("tmux")

needs_tmux = pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the end-to-end test needs a real terminal")


class Terminal:
    """One tmux session running a command in a 160x45 window."""

    def __init__(self, command: str) -> None:
        self.socket = f"kubetui-e2e-{uuid.uuid4().hex[:8]}"
        self.session = "kubetui"
        # The environment as the test has it now (its private XDG directories), less pytest's
        # COLUMNS/LINES (80x24): inherited by the tmux server they would pin the app's size.
        self.env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
        self._tmux("new-session", "-d", "-s", self.session, "-x", "160", "-y", "45", "-c", str(ROOT), command)

    def _tmux(self, *args: str) -> str:
        result = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=30,
                                env=self.env)
        if result.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {result.stderr}")
        return result.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.session, "-l", text)

    def wait_for(self, predicate, timeout: float = 30.0, what: str = "screen content") -> str:
        """The screen, once `predicate(screen)` holds."""
        def matching_screen() -> str | None:
            screen = self.screen()
            return screen if predicate(screen) else None

        return wait_for(matching_screen, timeout, interval=0.1, message=what,
                        detail=lambda: f"screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True, timeout=30)


def kubetui(*args: str) -> Terminal:
    """`python -m kubetui ARGS` in a new terminal; when it exits the pane shows `kubetui-exited-CODE`."""
    # A shell the pane starts may export COLUMNS/LINES again: drop them so the app reads 160x45.
    return Terminal(f"unset COLUMNS LINES; {sys.executable} -m kubetui {' '.join(map(str, args))}; "
                    "echo kubetui-exited-$?; sleep 600")


def row(screen: str, name: str) -> str | None:
    """The table line of pod ``name`` (whole-word match), if it is on screen."""
    pattern = re.compile(rf"(^|\s){re.escape(name)}\s")
    return next((line for line in screen.splitlines() if pattern.search(line)), None)
