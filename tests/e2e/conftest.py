"""The terminal most end-to-end tests start from: `kubetui demo` in tmux."""

from __future__ import annotations

import pytest

from tests.e2e.tmux_terminal import kubetui


@pytest.fixture
def demo():
    terminal = kubetui("demo")
    yield terminal
    terminal.close()
