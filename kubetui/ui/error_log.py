"""Where internal errors are written: a log file in the XDG state directory, tokens redacted.

Key decision: the screen never shows a traceback; an unexpected exception is appended here
with its traceback and the user gets one line pointing at the file. The file is opened only
when something is written, so a session without errors leaves nothing behind. Credentials
never reach it: bearer tokens, `token:` fields and basic-auth passwords are masked.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import traceback
from datetime import datetime
from pathlib import Path

_SECRETS = [
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1<redacted>"),
    (re.compile(r"(?i)([\"']?(?:token|password|client-key-data|authorization)[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]+"),
     r"\1<redacted>"),
    (re.compile(r"(://[^/\s:@]+:)[^@\s/]+@"), r"\1<redacted>@"),
]


def default_log_path() -> Path:
    """``$XDG_STATE_HOME/kubetui/kubetui.log``, by default ``~/.local/state/kubetui/kubetui.log``."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "kubetui" / "kubetui.log"


def redact(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class ErrorLog:
    """Appends internal errors (and the `kubetui` logger's warnings) to one file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_log_path()
        self._lock = threading.Lock()

    def write_exception(self, error: BaseException, context: str = "") -> Path:
        """Append ``error`` with its traceback; returns the file's path."""
        trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        heading = f"internal error{f' ({context})' if context else ''}"
        return self.write(f"{heading}\n{trace}")

    def write(self, text: str) -> Path:
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as log:
                log.write(f"{stamp} {redact(text).rstrip()}\n")
        return self.path

    def handler(self) -> logging.Handler:
        """A logging handler writing to this file: what `kube/` logs while the UI runs lands here."""
        return _Handler(self)


class _Handler(logging.Handler):
    def __init__(self, log: ErrorLog) -> None:
        super().__init__(logging.WARNING)
        self._log = log
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._log.write(self.format(record))
        except OSError:  # an unwritable log must not break the thread that logged
            pass
