"""`tail -f FILE`, alone or piped into `while read …; do …; done`, when another container of
the pod writes FILE through a shared volume: the adapter pattern's reader.

Key decisions: like the rest of a plan, what the reader prints is decided when it starts. The
lines already in the file (as many as `-n` asks, all of them for `-n +1`) come out at once,
later ones when they are written, each passed once through the loop body with the `read`
variables set; a writer's loop stays a loop (one `Periodic`), so the reader costs nothing per
line. `date` markers in the writer's text pass through to the reader's lines. The reader never
returns (it follows the file), so the script blocks there. Anything else is left alone.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from kubetui.localcluster.sandbox.run_plan import FileFeed, LogLine, Periodic
from kubetui.localcluster.shell.script_builtins import Blocked, LoopControl, ScriptExit
from kubetui.localcluster.shell.script_words import Loop, Pipeline, Script, ShellSyntaxError, Simple

if TYPE_CHECKING:
    from kubetui.localcluster.shell.script_run import _Interpreter

MAX_PAST = 5000
_MARK = re.compile("\x00date:[^\x00]*\x00")


def follow_feed(interp: "_Interpreter", pipeline: Pipeline) -> None:
    """Raise Blocked with the reader's output if `pipeline` follows a file being written."""
    commands = pipeline.commands
    if not 1 <= len(commands) <= 2 or not isinstance(commands[0], Simple):
        return
    argv = [value for word in commands[0].words for value in interp._expand(word)]
    if not argv or posixpath.basename(argv[0]) != "tail":
        return
    options = _tail_options(argv[1:])
    if options is None:
        return
    count, from_start, path = options
    where = posixpath.normpath(posixpath.join(interp.vars.get("PWD") or interp.host.working_dir, path))
    feed = interp.host.feeds.get(where)
    names: list[str] | None = None
    if len(commands) == 2:
        names = _read_names(commands[1])
        if names is None:
            return
    if feed is None:
        return
    past, future = _split(feed, interp.t, count, from_start)

    def transform(text: str, at: float) -> list[LogLine]:
        scratch = type(interp)(interp.host)
        scratch.t = at
        if names is None:
            scratch._emit(text)
        else:
            for piece in _loop_output(interp, commands[1].body, names, text):
                scratch._emit(piece)
        return scratch.lines

    for line in past:
        interp.lines.extend(transform(line.text, interp.t))
    for line in future:
        interp.lines.extend(transform(line.text, line.at))
    periodic = None
    if feed.periodic is not None and feed.periodic.lines:
        first = _next_iteration(feed.periodic, interp.t)
        body = tuple(out for line in feed.periodic.lines for out in transform(line.text, line.at))
        periodic = Periodic(first, feed.periodic.interval, body)
    raise Blocked(periodic)


def _tail_options(args: list[str]) -> tuple[int, bool, str] | None:
    """(lines, from the start?, file) of a following `tail`, None when it does not follow."""
    follow, count, from_start, files = False, 10, False, []
    index = 0
    while index < len(args):
        arg = args[index]
        value = None
        if arg in ("-f", "-F", "--follow", "--retry") or arg.startswith("--follow="):
            follow = follow or arg != "--retry"
        elif arg in ("-n", "--lines") and index + 1 < len(args):
            value, index = args[index + 1], index + 1
        elif arg.startswith("--lines="):
            value = arg.split("=", 1)[1]
        elif arg.startswith("-n"):
            value = arg[2:]
        elif arg.startswith("-") and len(arg) > 1:
            follow = follow or "f" in arg[1:] or "F" in arg[1:]
        else:
            files.append(arg)
        if value is not None:
            from_start = value.startswith("+")
            digits = value.lstrip("+-")
            count = int(digits) if digits.isdigit() else 10
        index += 1
    if not follow or len(files) != 1:
        return None
    return count, from_start, files[0]


def _read_names(command) -> list[str] | None:
    """The variables of `while read [-r] NAME…`, None for any other loop."""
    if not isinstance(command, Loop) or command.until:
        return None
    items = command.condition.items
    if len(items) != 1 or items[0].rest or len(items[0].first.commands) != 1:
        return None
    simple = items[0].first.commands[0]
    if not isinstance(simple, Simple) or not simple.words or simple.words[0].literal != "read":
        return None
    names = [word.literal or "" for word in simple.words[1:] if word.literal != "-r"]
    return names or ["REPLY"]


def _loop_output(interp: "_Interpreter", body: Script, names: list[str], text: str) -> list[str]:
    """What one pass of the loop body prints for one line read."""
    child = type(interp)(interp.host, capture=True)
    child.vars, child.files, child.t = dict(interp.vars), interp.files, interp.t
    protected = _MARK.sub(lambda match: match.group(0).replace(" ", "\x01"), text)
    fields = protected.split(None, len(names) - 1) if len(names) > 1 else [protected.strip()]
    for index, name in enumerate(names):
        child.vars[name] = fields[index].replace("\x01", " ") if index < len(fields) else ""
    try:
        child._script(body)
    except (LoopControl, ScriptExit, Blocked, ShellSyntaxError):
        pass
    return child.captured


def _iterations_before(periodic: Periodic, t: float) -> int:
    if periodic.first > t:
        return 0
    return int((t - periodic.first) // periodic.interval) + 1


def _next_iteration(periodic: Periodic, t: float) -> float:
    return periodic.first + _iterations_before(periodic, t) * periodic.interval


def _split(feed: FileFeed, t: float, count: int, from_start: bool) -> tuple[list[LogLine], list[LogLine]]:
    """(lines already written that tail prints first, one-off lines written later)."""
    past = [line for line in feed.lines if line.at <= t]
    future = [line for line in feed.lines if line.at > t]
    periodic = feed.periodic
    if periodic is not None and periodic.lines:
        done = _iterations_before(periodic, t)
        wanted = MAX_PAST if from_start else count
        first = 0 if from_start else max(0, done - wanted)
        for k in range(first, min(done, first + MAX_PAST)):
            start = periodic.first + k * periodic.interval
            past += [line.shifted(start) for line in periodic.lines]
    past.sort(key=lambda line: line.at)
    if from_start:
        past = past[max(0, count - 1):][:MAX_PAST]
    else:
        past = past[-count:] if count else []
    return past, future
