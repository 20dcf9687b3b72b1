"""What builtins, expansions, redirections and messages may use of the shell running them.

Key decision: those modules work on this Protocol, not on the interpreter class, so the
interpreter imports them and none of them imports the interpreter.
"""

from __future__ import annotations

from typing import Callable, Protocol

from kubetui.localcluster.sandbox.streams import IO
from kubetui.localcluster.sandbox.system import System


class Expansions(Protocol):
    def fields(self, raw: str) -> list[str]: ...

    def string(self, raw: str) -> str: ...

    def heredoc(self, body: str) -> str: ...


class ShellState(Protocol):
    system: System
    kind: str  # "bash", "dash" or "ash" (busybox)
    argv0: str
    positional: list[str]
    vars: dict[str, str]
    exported: set[str]
    cwd: str
    pid: int
    interactive: bool
    status: int
    lineno: int
    loop_depth: int
    options: dict[str, bool]
    aliases: dict[str, str]
    traps: dict[str, str]
    expander: Expansions

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str, export: bool = False) -> None: ...

    def is_set(self, name: str) -> bool: ...

    def special(self, name: str) -> str: ...

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]: ...

    def error(self, io: IO, text: str) -> None: ...

    def capture(self, source: str) -> str: ...

    def run_source(self, source: str, io: IO) -> int: ...

    def run_external(self, argv: list[str], io: IO, assigns: dict[str, str] | None = None,
                     pid: int | None = None) -> int: ...

    def on_signal(self, signal: str, action: str | None) -> None: ...


Builtin = Callable[[ShellState, list[str], IO], int]
