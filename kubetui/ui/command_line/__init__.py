"""The `:` command line: kubectl's commands typed inside kubetui, done through the official client.

`CommandLine` is the widget (editing, completion, history), `CommandRunner` parses a line and
hands the request to the handlers (`reading`, `opening`, `changing`), `Completions` finds
candidates, `results` holds the result tabs. Nothing here shells out to kubectl.
"""

from __future__ import annotations

from kubetui.ui.command_line.completion import Completions
from kubetui.ui.command_line.history_file import default_history_path, load_history
from kubetui.ui.command_line.widget import CommandLine

# `CommandRunner` (command_line.dispatch) is imported where a line is first run: with it come
# every handler and the kubectl grammar, which the app's start does not need.
__all__ = ["CommandLine", "Completions", "default_history_path", "load_history"]
