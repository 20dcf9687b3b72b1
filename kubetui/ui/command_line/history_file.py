"""Where the `:` line's history lives between runs: `$XDG_STATE_HOME/kubetui/command_history`.

Key decisions: one line per command, the newest last, at most `MAX_ENTRIES`; the file is private
to the user (mode 600) and replaced whole on each write (a crash never leaves half a line);
what is written has been through `model.command_history.storable`, so no secret reaches it. A
file that cannot be read or written costs only the history, never the command.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kubetui.model.command_history import History

__all__ = ["default_history_path", "load_history", "save_history"]


def default_history_path() -> Path:
    """``$XDG_STATE_HOME/kubetui/command_history``, by default under ``~/.local/state``."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "kubetui" / "command_history"


def load_history(path: Path) -> History:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return History()
    return History(text.splitlines())


def save_history(history: History, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".command_history-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write("".join(f"{line}\n" for line in history.entries))
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError:
        pass
