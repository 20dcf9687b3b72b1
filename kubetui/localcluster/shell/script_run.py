"""Run a container's `sh -c` script in simulated time and return its RunPlan.

Key decisions: nothing executes; the interpreter walks the script, advancing a simulated clock
on `sleep`, collecting what `echo`/`printf`/`date` print as log lines and what redirections
write into files (`FileWrite`s, which other containers of the pod read through shared volumes,
shell_follow.py), and stopping at the first command that never returns (an endless loop
becomes a `Periodic`, a server becomes the tail of the plan). Programs that are not shell built-ins are asked of `run_program` (servers, `sleep`),
and anything unknown is assumed to run forever, like the app binary of an image usually does.
As PID 1 without a `trap`, the shell ignores SIGTERM, so such pods wait out their grace period.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import Callable, Mapping

from kubetui.localcluster.sandbox.run_plan import (
    IGNORES_SIGTERM,
    STDERR,
    STDOUT,
    FileFeed,
    FileWrite,
    LogLine,
    Periodic,
    RunPlan,
    Stop,
)
from kubetui.localcluster.shell.script_follow import follow_feed
from kubetui.localcluster.shell.script_builtins import Blocked, Builtins, LoopControl, ScriptExit, arithmetic
from kubetui.localcluster.shell.script_words import (
    AndOr,
    ForLoop,
    Group,
    If,
    Loop,
    Pipeline,
    Script,
    ShellSyntaxError,
    Simple,
    Word,
    parse_script,
)

_DATE_RE = re.compile("\x00date:(.*?)\x00")
MAX_LINES = 5000
LOOP_LIMIT = 1000
MIN_INTERVAL = 0.05
_INSTANT = {"cd", "ls", "mkdir", "cp", "mv", "rm", "rmdir", "chmod", "chown", "ln", "wget",
            "curl", "sync", "mount", "umount", "kill", "apt", "apt-get", "apk", "ulimit",
            "umask", "shift", "wait", "stty", "clear", "cut", "sort", "uniq", "grep", "sed",
            "awk", "head", "wc", "tr", "nslookup", "ping", "touch", "tee"}


@dataclass
class ShellHost:
    """What the script can see of its container."""

    env: dict[str, str]
    run_program: Callable[[list[str]], RunPlan | None]
    hostname: str = "localhost"
    working_dir: str = "/"
    shell: str = "sh"
    args: list[str] = field(default_factory=list)  # $0, $1 … after `sh -c script`
    feeds: Mapping[str, FileFeed] = field(default_factory=dict)  # files other containers write


def run_script(text: str, host: ShellHost) -> RunPlan:
    """The plan of `sh -c text`."""
    try:
        script = parse_script(text)
    except ShellSyntaxError as problem:
        line = LogLine(0.0, f"{host.shell}: 1: {problem}" if host.shell != "bash"
                       else f"bash: -c: line 1: {str(problem).lower()}", STDERR)
        return RunPlan(lines=(line,), exit_after=0.0, exit_code=2, stop=Stop(0.0))
    runner = _Interpreter(host)
    single = len(script.items) == 1 and not script.items[0].rest and \
        len(script.items[0].first.commands) == 1 and isinstance(script.items[0].first.commands[0], Simple)
    runner.exec_last = single  # `sh -c "prog args"` execs prog, like bash and dash do
    return runner.plan(script)


class _Interpreter(Builtins):
    def __init__(self, host: ShellHost, capture: bool = False) -> None:
        self.host = host
        self.vars = dict(host.env)
        self.vars.setdefault("HOSTNAME", host.hostname)
        self.vars.setdefault("PWD", host.working_dir)
        self.files: dict[str, str] = {}
        self.writes: list[FileWrite] = []
        self.t = 0.0
        self.status = 0
        self.lines: list[LogLine] = []
        self.captured: list[str] = []
        self.capture = capture
        self.errexit = False
        self.trap: str | None = None
        self.ports: list[int] = []
        self.exec_last = False
        self.conditions = 0

    # ------------------------------------------------------------------ results
    def plan(self, script: Script) -> RunPlan:
        try:
            self._script(script)
            return self._finish(self.t, self.status)
        except ScriptExit as done:
            return self._finish(self.t, done.code)
        except Blocked as blocked:
            stop = self._stop_behaviour()
            if blocked.tail is not None:
                tail = blocked.tail
                if blocked.exec_ and self.trap is None:
                    stop = tail.stop
                return RunPlan(lines=tuple(self.lines) + tail.lines, ports=tuple(self.ports) + tail.ports,
                               periodic=tail.periodic, stop=stop,
                               writes=tuple(self.writes) + tail.writes)
            return RunPlan(lines=tuple(self.lines), ports=tuple(self.ports),
                           periodic=blocked.periodic, stop=stop, writes=tuple(self.writes))

    def _finish(self, t: float, code: int) -> RunPlan:
        return RunPlan(lines=tuple(self.lines), exit_after=t, exit_code=code & 0xFF,
                       stop=self._stop_behaviour(), writes=tuple(self.writes))

    def _stop_behaviour(self) -> Stop:
        if self.trap is None:
            return IGNORES_SIGTERM
        handler = _Interpreter(self.host)
        handler.vars = dict(self.vars)
        outcome = handler.plan(parse_script(self.trap))
        code = outcome.exit_code if outcome.exit_after is not None else 0
        return Stop(outcome.exit_after or 0.0, code, outcome.lines)

    # ------------------------------------------------------------------ output
    def _emit(self, text: str, stream: str = STDOUT) -> None:
        if self.capture:
            self.captured.append(text)
            return
        for piece in text.split("\n"):
            if len(self.lines) >= MAX_LINES:
                return
            self.lines.append(_log_line(self.t, piece, stream))

    # ------------------------------------------------------------------ grammar
    def _script(self, script: Script) -> int:
        for item in script.items:
            self._and_or(item)
        return self.status

    def _and_or(self, item: AndOr) -> None:
        if item.background:
            self._background(item)
            return
        self.status = self._pipeline(item.first, checked=not item.rest)
        for op, pipeline in item.rest:
            if (op == "&&") == (self.status == 0):
                self.status = self._pipeline(pipeline, checked=pipeline is item.rest[-1][1])

    def _background(self, item: AndOr) -> None:
        child = _Interpreter(self.host)
        child.vars, child.files, child.t = dict(self.vars), self.files, self.t
        plan = child.plan(Script([replace(item, background=False)]))
        self.lines.extend(plan.lines)
        self.ports.extend(plan.ports)
        self.writes.extend(plan.writes)
        self.status = 0

    def _pipeline(self, pipeline: Pipeline, checked: bool) -> int:
        follow_feed(self, pipeline)  # `tail -f` of a file another container writes: blocks here
        commands = pipeline.commands
        status = 0
        for index, command in enumerate(commands):
            last = index == len(commands) - 1
            passes_through = last or _is_passthrough(commands[index + 1])
            if passes_through or self.capture:
                status = self._command(command)
            else:
                mark = len(self.lines)
                status = self._command(command)
                del self.lines[mark:]  # piped into the next command, not to the log
        if pipeline.negate:
            status = 0 if status else 1
        elif checked and status and self.errexit and not self.conditions:
            raise ScriptExit(status)
        return status

    def _command(self, command) -> int:
        if isinstance(command, Simple):
            return self._simple(command)
        if isinstance(command, Group):
            return self._script(command.body)
        if isinstance(command, If):
            for condition, body in command.branches:
                if self._condition(condition) == 0:
                    return self._script(body)
            return self._script(command.otherwise) if command.otherwise else 0
        if isinstance(command, ForLoop):
            for value in [v for word in command.items for v in self._expand(word)]:
                self.vars[command.name] = value
                try:
                    self._script(command.body)
                except LoopControl as signal:
                    if signal.kind == "break":
                        break
            return self.status
        if isinstance(command, Loop):
            return self._loop(command)
        return 0

    def _condition(self, script: Script) -> int:
        self.conditions += 1
        try:
            return self._script(script)
        finally:
            self.conditions -= 1

    def _loop(self, loop: Loop) -> int:
        constant = _constant_truth(loop.condition, loop.until)
        for iteration in range(LOOP_LIMIT + 1):
            start, mark, written = self.t, len(self.lines), len(self.writes)
            if (self._condition(loop.condition) == 0) == loop.until:
                return 0
            try:
                self._script(loop.body)
            except LoopControl as signal:
                if signal.kind == "break":
                    return 0
            if constant or iteration == LOOP_LIMIT:
                interval = self.t - start
                body = tuple(line.shifted(-start) for line in self.lines[mark:])
                writes = tuple(write.shifted(-start) for write in self.writes[written:])
                if interval <= 0 and not body and not writes:
                    raise Blocked()
                raise Blocked(Periodic(self.t, max(interval, MIN_INTERVAL), body, writes))
        return 0

    # ------------------------------------------------------------------ commands
    def _simple(self, command: Simple) -> int:
        argv = [value for word in command.words for value in self._expand(word)]
        while argv and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", argv[0]):
            name, _, value = argv.pop(0).partition("=")
            self.vars[name] = value
        stream, target, append = STDOUT, None, False
        for redirect in command.redirects:
            where = "".join(self._expand(redirect.target, split=False))
            if redirect.op in (">", ">>") and where not in ("/dev/stdout", "/proc/1/fd/1"):
                target, append = where, redirect.op == ">>"
                if where in ("/dev/stderr", "/proc/1/fd/2"):
                    stream, target = STDERR, None
            elif redirect.op in ("1>&2",) or (redirect.op == ">&" and where == "2"):
                stream = STDERR
        if not argv:
            return 0
        if target is not None:
            return self._into_file(argv, target, append)
        if stream == STDERR and not self.capture:
            mark = len(self.lines)
            status = self._run(argv)
            self.lines[mark:] = [LogLine(line.at, line.text, STDERR, line.timed) for line in self.lines[mark:]]
            return status
        return self._run(argv)

    def _into_file(self, argv: list[str], path: str, append: bool) -> int:
        saved, self.capture, self.captured = (self.capture, self.captured), True, []
        try:
            status = self._run(argv)
        finally:
            text = "\n".join(self.captured)
            self.capture, self.captured = saved
        if path != "/dev/null":
            self.files[path] = (self.files.get(path, "") + text + "\n") if append else text + "\n"
            where = posixpath.join(self.vars.get("PWD") or self.host.working_dir, path)
            self.writes.append(FileWrite(self.t, posixpath.normpath(where), text + "\n", append))
        return status

    def _run(self, argv: list[str]) -> int:
        name = argv[0].rsplit("/", 1)[-1]
        if name == ":":
            return 0
        builtin = getattr(self, "_b_" + name.replace("-", "_").replace("[", "test"), None)
        if builtin is not None:
            return builtin(argv[1:])
        if name in _INSTANT:
            if name == "touch" or name == "mkdir":
                self.files.update({path: "" for path in argv[1:] if not path.startswith("-")})
            return 0
        if name in ("sh", "bash", "ash", "dash") and "-c" in argv:
            script = argv[argv.index("-c") + 1] if argv.index("-c") + 1 < len(argv) else ""
            nested = _Interpreter(self.host)
            nested.vars, nested.files, nested.t = dict(self.vars), self.files, self.t
            plan = nested.plan(parse_script(script)) if script else RunPlan(exit_after=self.t)
            return self._absorb(plan, relative=False)
        plan = self.host.run_program(argv)
        if plan is None:
            raise Blocked(tail=RunPlan(stop=Stop(0.1, 0)).after(self.t), exec_=self.exec_last)
        return self._absorb(plan.after(self.t), relative=False)

    def _absorb(self, plan: RunPlan, relative: bool) -> int:
        del relative
        if plan.runs_forever:
            raise Blocked(tail=plan, exec_=self.exec_last)
        self.lines.extend(plan.lines)
        self.writes.extend(plan.writes)
        if plan.start_error:
            self._emit(f"{self.host.shell}: 1: {plan.start_error}", STDERR)
            return 127
        self.t = max(self.t, plan.exit_after or 0.0)
        return plan.exit_code

    # ------------------------------------------------------------------ expansion
    def _expand(self, word: Word, split: bool = True) -> list[str]:
        fields: list[str] = [""]
        for kind, text in word.parts:
            if kind == "lit":
                fields[-1] += text
                continue
            value = self._substitute(text)
            if kind == "bare" and split and any(c in value for c in " \t\n") and ("$" in text or "`" in text):
                pieces = value.split()
                if pieces:
                    fields[-1] += pieces[0]
                    fields.extend(pieces[1:])
            else:
                fields[-1] += value
        if fields == [""] and all(kind == "bare" and ("$" in t or "`" in t) for kind, t in word.parts):
            return []
        return fields

    def _substitute(self, text: str) -> str:
        out, i = [], 0
        while i < len(text):
            if text.startswith("\\$", i) or text.startswith("\\`", i):
                out.append(text[i + 1])
                i += 2
            elif text.startswith("$((", i):
                end = text.find("))", i)
                out.append(str(arithmetic(self._substitute(text[i + 3:end]), self.vars)))
                i = end + 2
            elif text.startswith("$(", i) or text.startswith("`", i):
                if text[i] == "`":
                    end = text.find("`", i + 1)
                    inner, i = text[i + 1:end], end + 1
                else:
                    depth, j = 0, i + 1
                    while j < len(text):
                        depth += {"(": 1, ")": -1}.get(text[j], 0)
                        if depth == 0:
                            break
                        j += 1
                    inner, i = text[i + 2:j], j + 1
                out.append(self._capture(inner))
            elif text.startswith("${", i):
                end = text.find("}", i)
                name, _, default = text[i + 2:end].partition(":-")
                out.append(self.vars.get(name) or default)
                i = end + 1
            elif text[i] == "$" and i + 1 < len(text):
                match = re.match(r"[A-Za-z_][A-Za-z0-9_]*|[0-9?#$@*]", text[i + 1:])
                if match:
                    out.append(self._special(match.group()))
                    i += 1 + len(match.group())
                else:
                    out.append("$")
                    i += 1
            else:
                out.append(text[i])
                i += 1
        return "".join(out)

    def _special(self, name: str) -> str:
        if name == "?":
            return str(self.status)
        if name == "$":
            return "1"
        if name.isdigit():
            args = self.host.args
            return args[int(name)] if int(name) < len(args) else ""
        if name in "@*":
            return " ".join(self.host.args[1:])
        if name == "#":
            return str(max(0, len(self.host.args) - 1))
        return self.vars.get(name, "")

    def _capture(self, inner: str) -> str:
        child = _Interpreter(self.host, capture=True)
        child.vars, child.files, child.writes, child.t = dict(self.vars), self.files, self.writes, self.t
        try:
            child._script(parse_script(inner))
        except (ScriptExit, LoopControl, ShellSyntaxError):
            pass
        except Blocked:
            raise
        self.t = child.t
        return "\n".join(child.captured).rstrip("\n")


def _is_passthrough(command) -> bool:
    """`tee` and bare `cat` pass what they read on to the log."""
    if not isinstance(command, Simple) or not command.words:
        return False
    name = command.words[0].literal or ""
    return name == "tee" or (name == "cat" and len(command.words) == 1)


def _constant_truth(condition: Script, until: bool) -> bool:
    """`while true`, `while :`, `until false`: loops whose condition never changes."""
    if len(condition.items) != 1 or condition.items[0].rest:
        return False
    commands = condition.items[0].first.commands
    if len(commands) != 1 or not isinstance(commands[0], Simple) or len(commands[0].words) != 1:
        return False
    word = commands[0].words[0].literal
    return (word in ("true", ":") and not until) or (word == "false" and until)


def _log_line(t: float, text: str, stream: str) -> LogLine:
    if "\x00date:" not in text:
        return LogLine(t, text, stream)
    template = _DATE_RE.sub(lambda m: "\x01" + m.group(1) + "\x02", text)
    template = template.replace("{", "{{").replace("}", "}}")
    template = template.replace("\x01", "{t:").replace("\x02", "}")
    return LogLine(t, template, stream, timed=True)


