"""What a command printed, and the connection a command prints through, for the `:` line's
result tabs (`commands.printing`, `kube.server_info`, `kube.explaining`).

Key decision: stdout then stderr, as a terminal shows them when a command's errors come last
(every command printed this way writes its errors after its output).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Printed", "Scoped"]


@dataclass(frozen=True)
class Printed:
    """A command's output and its exit code."""

    out: str
    err: str = ""
    code: int = 0

    @property
    def text(self) -> str:
        return self.out + self.err


@dataclass
class Scoped:
    """A connection as the commands take it: bound to one namespace, never closed by them."""

    api_client: Any
    server: str
    namespace: str

    def close(self) -> None:
        """The app's connection outlives the command."""
