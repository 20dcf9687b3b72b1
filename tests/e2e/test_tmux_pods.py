"""End to end in a real terminal: `kubetui demo` under tmux, driven by keys, read off the screen.

A private tmux server (its own socket) keeps the test away from any tmux the developer runs.
Every wait polls the captured screen until a deadline; nothing sleeps to synchronise.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TMUX = shutil.which("tmux")
# pytest exports COLUMNS/LINES (80x24); inherited by the tmux server they would pin the app's size.
TMUX_ENV = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the end-to-end test needs a real terminal")


class Terminal:
    """One tmux session running a command in a 160x45 window."""

    def __init__(self, command: str) -> None:
        self.socket = f"kubetui-e2e-{uuid.uuid4().hex[:8]}"
        self.session = "kubetui"
        self._tmux("new-session", "-d", "-s", self.session, "-x", "160", "-y", "45", "-c", str(ROOT), command)

    def _tmux(self, *args: str) -> str:
        result = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=30,
                                env=TMUX_ENV)
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
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if predicate(screen):
                return screen
            if time.monotonic() >= deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}; screen:\n{screen}")
            time.sleep(0.1)  # the poll interval; the deadline decides

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True, timeout=30)


def row(screen: str, name: str) -> str | None:
    """The table line of pod ``name`` (whole-word match), if it is on screen."""
    pattern = re.compile(rf"(^|\s){re.escape(name)}\s")
    return next((line for line in screen.splitlines() if pattern.search(line)), None)


@pytest.fixture
def demo():
    terminal = Terminal(f"{sys.executable} -m kubetui demo; echo kubetui-exited-$?; sleep 600")
    yield terminal
    terminal.close()


def test_demo_shows_filters_and_switches_namespace(demo):
    screen = demo.wait_for(lambda s: (line := row(s, "sample-2pod")) is not None
                           and "2/2" in line and "Running" in line,
                           timeout=60, what="sample-2pod 2/2 Running")
    assert "● live" in screen
    others = [line.split()[0] for line in screen.splitlines()[3:] if line.strip().startswith("sample-")
              and "sample-2pod" not in line]
    assert others, "the demo shows more than one sample pod"

    demo.type("/2pod")  # in one burst, as a fast typist sends it: no key may get lost
    demo.keys("Enter")
    screen = demo.wait_for(lambda s: row(s, "sample-2pod") and not any(row(s, name) for name in others),
                           what="only sample-2pod after filtering")
    assert "/2pod" in screen

    demo.keys("Escape")
    demo.wait_for(lambda s: all(row(s, name) for name in others[:3]), what="all rows after Esc")

    demo.keys("n")
    demo.wait_for(lambda s: "Namespace" in s and re.search(r"\bkube-system\b", s), what="namespace picker")
    demo.keys("Home", "Enter")  # the picker opens on the current namespace; "all" is first
    screen = demo.wait_for(lambda s: "namespace all" in s and row(s, "sample-2pod") and row(s, "kube-system"),
                           what="pods of all namespaces")
    assert "NAMESPACE" in screen

    demo.keys("q")
    demo.wait_for(lambda s: "kubetui-exited-0" in s, timeout=20, what="a clean exit")
