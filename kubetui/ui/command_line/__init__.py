"""The `:` command line: kubectl's commands typed inside kubetui, done through the official client.

`CommandLine` is the widget (editing, completion, history), `CommandRunner` parses a line and
hands the request to the handlers (`reading`, `opening`, `changing`), `Completions` finds
candidates, `results` holds the result tabs. Nothing here shells out to kubectl.
"""

from __future__ import annotations

from kubetui.ui.command_line.completion import Completions
from kubetui.ui.command_line.dispatch import CommandRunner
from kubetui.ui.command_line.history_file import default_history_path, load_history
from kubetui.ui.command_line.widget import CommandLine

__all__ = ["CommandLine", "CommandRunner", "Completions", "default_history_path", "load_history"]
