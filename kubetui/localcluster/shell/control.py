"""How `exit`, `break` and `continue` leave the commands around them: exceptions the
interpreter catches where a real shell's control would land (a subshell, a loop, the shell)."""

from __future__ import annotations


class ShellExit(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status & 0xFF


class LoopControl(Exception):
    def __init__(self, kind: str, levels: int):
        super().__init__(kind)
        self.kind, self.levels = kind, levels
