"""The shell interpreter: bash, dash (Debian's sh) and busybox ash flavours.

The flavours differ where a learner would notice: prompts (`root@pod:/# `, `# `, `/ # `),
error wording (`bash: foo: command not found` vs `sh: 1: foo: not found`), `echo`'s escape
handling and the `exit` that bash prints. Pipelines run their stages one after another
through buffers (a simulation has no concurrency to show), with every stage registered in
the process table first, so `ps aux | grep x` still lists the grep. The same interpreter runs
`kubectl exec` sessions and the commands containers start with; what differs (time, `&`,
loops that never end) is the System's Host (sandbox/host.py), which `sleep`, `&` and every
pass of a `while` loop go through.
"""

from __future__ import annotations

import posixpath
import re

from kubetui.localcluster.sandbox.streams import IO, BufferOut, PipeOut
from kubetui.localcluster.sandbox.system import Process, System
from kubetui.localcluster.shell import builtins, messages
from kubetui.localcluster.shell.control import LoopControl, ShellExit
from kubetui.localcluster.shell.expand import Expander, ExpansionError
from kubetui.localcluster.shell.redirects import apply_redirects
from kubetui.localcluster.shell.syntax import (
    AndOr,
    For,
    Group,
    If,
    Incomplete,
    Loop,
    Pipeline,
    Redirect,
    Sequence,
    ShellSyntaxError,
    Simple,
    lone_simple,
    never_changes,
    parse,
)

__all__ = ["LoopControl", "Shell", "ShellExit"]


class Shell:
    def __init__(self, system: System, kind: str, argv0: str, positional: list[str],
                 env: dict[str, str], cwd: str, pid: int, interactive: bool = False):
        self.system, self.kind, self.argv0 = system, kind, argv0
        self.positional = list(positional)
        self.vars: dict[str, str] = dict(env)
        self.exported: set[str] = set(env)
        self.cwd, self.pid = cwd, pid
        self.interactive = interactive
        self.status, self.lineno, self.loop_depth = 0, 0, 0
        self.options = {"e": False, "x": False}
        self.aliases: dict[str, str] = {}
        self.traps: dict[str, str] = {}
        self._exec_node: Simple | None = None  # `sh -c 'prog args'` execs prog, as shells do
        self.expander = Expander(self)
        self.set("PWD", cwd, export=True)
        if kind == "bash":
            level = self.vars.get("SHLVL", "0")
            self.set("SHLVL", str(int(level) + 1 if level.isdigit() else 1), export=True)
            self.vars.setdefault("BASH", "/bin/bash")
            self.vars.setdefault("BASH_VERSION", messages.bash_version(system.image))
        self.vars.setdefault("IFS", " \t\n")
        self.vars.setdefault("PS2", "> ")

    # ---- variables --------------------------------------------------------------------
    def get(self, name: str) -> str | None:
        if name == "RANDOM" and self.kind == "bash":
            return str(self.system.random.randint(0, 32767))
        if name == "PPID":
            return str(self.system.parent_of(self.pid))
        return self.vars.get(name)

    def is_set(self, name: str) -> bool:
        return name in self.vars or (len(name) == 1 and name in "?$#0") or (
            name.isdigit() and 0 < int(name) <= len(self.positional))

    def set(self, name: str, value: str, export: bool = False) -> None:
        self.vars[name] = value
        if export:
            self.exported.add(name)

    def special(self, name: str) -> str:
        if name == "?":
            return str(self.status)
        if name == "$":
            return str(self.pid)
        if name == "#":
            return str(len(self.positional))
        if name == "0":
            return self.argv0
        if name == "-":
            return ("himBH" if self.kind == "bash" else "i") if self.interactive else (
                "hB" if self.kind == "bash" else "")
        if name in ("*", "@"):  # "$*" joins with the first character of $IFS
            ifs = self.vars.get("IFS", " ") if name == "*" else " "
            return ifs[:1].join(self.positional)
        if name.isdigit():
            index = int(name)
            return self.positional[index - 1] if 0 < index <= len(self.positional) else ""
        return ""

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in self.vars.items() if k in self.exported}
        env.update(extra or {})
        return env

    # ---- errors -----------------------------------------------------------------------
    def prefix(self) -> str:
        return messages.error_prefix(self)

    def error(self, io: IO, text: str) -> None:
        io.stderr.write(f"{self.prefix()}{text}\n")

    # ---- signals ----------------------------------------------------------------------
    def on_signal(self, signal: str, action: str | None) -> None:
        """`trap`: run `action` when `signal` arrives (None: the default, "": ignore it)."""
        if action is None:
            self.traps.pop(signal, None)
        else:
            self.traps[signal] = action
        handler = (lambda: self.run_trap(signal)) if action else None
        self.system.on_signal(self.pid, signal, handler)

    def run_trap(self, signal: str) -> int:
        """What the shell does when `signal` arrives; ShellExit if the action exits."""
        return self.run_source(self.traps.get(signal, ""), self.system.io())

    # ---- running source ----------------------------------------------------------------
    def run_source(self, source: str, io: IO, exec_last: bool = False) -> int:
        """Parse and run `source`; with `exec_last` (a `-c` string) a lone simple command
        replaces the shell, as bash and dash do."""
        try:
            tree = parse(source)
        except (Incomplete, ShellSyntaxError) as error:
            io.stderr.write(messages.parse_failure(self, source, error, exec_last))
            self.status = 2
            return 2
        if exec_last:
            self._exec_node = lone_simple(tree)
        return self.execute(tree, io)

    def capture(self, source: str) -> str:
        """Command substitution: run in a subshell, return stdout minus trailing newlines."""
        child = self.subshell()
        out = BufferOut()
        io = IO(self.system.stdin, out, self.system.stderr)
        try:
            self.status = child.run_source(source, io)
        except ShellExit as done:
            self.status = done.status
        return out.getvalue().rstrip("\n")

    def subshell(self) -> "Shell":
        child = Shell.__new__(Shell)
        child.__dict__.update(self.__dict__)
        child.vars, child.exported = dict(self.vars), set(self.exported)
        child.positional, child.options = list(self.positional), dict(self.options)
        child.traps, child._exec_node = {}, None
        child.expander = Expander(child)
        child.interactive = False
        return child

    # ---- the tree ----------------------------------------------------------------------
    def execute(self, node, io: IO) -> int:
        if isinstance(node, Sequence):
            for item, background in node.items:
                if background:
                    self.system.host.background(lambda item=item: self._job(item, io))
                    self.status = 0
                    continue
                self.status = self.run_and_or(item, io)
                if self.options["e"] and self.status != 0:
                    raise ShellExit(self.status)
            return self.status
        if isinstance(node, AndOr):
            return self.run_and_or(node, io)
        return self.run_command(node, io)

    def _job(self, item: AndOr, io: IO) -> int:
        """`item &`: a subshell of its own (what it changes stays in it)."""
        try:
            return self.subshell().run_and_or(item, io)
        except ShellExit as done:
            return done.status

    def _condition(self, node: Sequence, io: IO) -> int:
        saved, self.options["e"] = self.options["e"], False
        try:
            return self.execute(node, io)
        finally:
            self.options["e"] = saved

    def run_and_or(self, node: AndOr, io: IO) -> int:
        if node.ops:
            saved, self.options["e"] = self.options["e"], False
            try:
                status = self.run_pipeline(node.parts[0], io)
            finally:
                self.options["e"] = saved
        else:
            return self.run_pipeline(node.parts[0], io)
        for op, part in zip(node.ops, node.parts[1:]):
            if (op == "&&") == (status == 0):
                status = self.run_pipeline(part, io)
        return status

    def run_pipeline(self, node: Pipeline, io: IO) -> int:
        if len(node.commands) == 1:
            status = self.run_command(node.commands[0], io)
        else:
            pids = [self.system.alloc_pid() for _ in node.commands]
            for pid, command in zip(pids, node.commands):
                self.system.register(Process(pid, self.pid, _display(command),
                                             self.system.tty_name, self.system.started))
            pipe, status = None, 0
            try:
                for index, (pid, command) in enumerate(zip(pids, node.commands)):
                    last = index == len(node.commands) - 1
                    out = io.stdout if last else PipeOut(self.system.pipe_capacity)
                    stdin = io.stdin if pipe is None else pipe.reader()
                    status = self.run_command(command, io.replace(stdin=stdin, stdout=out),
                                              pid)
                    self.system.unregister(pid)
                    pipe = None if last else out
            finally:
                for pid in pids:
                    self.system.unregister(pid)
        if node.negate:
            status = 0 if status else 1
        self.status = status
        return status

    def run_command(self, node, io: IO, pid: int | None = None) -> int:
        if isinstance(node, Simple):
            return self.run_simple(node, io, pid)
        redirected = self.apply_redirects(getattr(node, "redirects", []), io)
        if redirected is None:
            return 1
        if isinstance(node, Group):
            if not node.subshell:
                return self.execute(node.body, redirected)
            child = self.subshell()
            try:
                return child.execute(node.body, redirected)
            except ShellExit as done:
                return done.status
        if isinstance(node, If):
            for cond, body in node.branches:
                if self._condition(cond, redirected) == 0:
                    return self.execute(body, redirected)
            return self.execute(node.orelse, redirected) if node.orelse else 0
        if isinstance(node, For):
            try:
                items = self.positional if node.items is None else [
                    f for word in node.items for f in self.expander.fields(word)]
            except ExpansionError as error:
                return self._expansion_failed(error, redirected)
            return self._loop(io, redirected, items=items, var=node.var, body=node.body)
        if isinstance(node, Loop):
            return self._loop(io, redirected, cond=node.cond, until=node.until, body=node.body)
        return 0

    def _loop(self, io: IO, redirected: IO, body: Sequence, items=None, var="", cond=None,
              until=False) -> int:
        status = 0
        self.loop_depth += 1
        try:
            index = 0
            endless = items is None and never_changes(cond, until)
            while True:
                if items is not None:
                    if index >= len(items):
                        break
                    self.set(var, items[index])
                elif self._pass(cond, index, endless, redirected) == until:
                    break
                index += 1
                try:
                    status = self.execute(body, redirected)
                except LoopControl as control:
                    if control.levels > 1:
                        raise LoopControl(control.kind, control.levels - 1) from None
                    if control.kind == "break":
                        break
        finally:
            self.loop_depth -= 1
        self.status = status
        return status

    def _pass(self, cond: Sequence, index: int, endless: bool, io: IO) -> bool:
        """Start pass `index` of a while/until loop: whether its condition holds."""
        def state() -> object:
            return (tuple(self.vars.items()), tuple(self.positional), self.cwd, self.status,
                    io.stdin.position())
        self.system.host.loop_pass(cond, index, endless, state)
        return self._condition(cond, io) == 0

    # ---- simple commands ---------------------------------------------------------------
    def run_simple(self, node: Simple, io: IO, pid: int | None = None) -> int:
        self.lineno = max(self.lineno, node.line)
        words = node.words
        if words and words[0] in self.aliases and self.interactive:
            words = self.aliases[words[0]].split() + words[1:]
        try:
            assigns = {}
            for text in node.assigns:
                name, _, value = text.partition("=")
                assigns[name] = self.expander.string(value)
            argv = [f for word in words for f in self.expander.fields(word)]
        except ExpansionError as error:
            return self._expansion_failed(error, io)
        if not argv:
            for name, value in assigns.items():
                self.set(name, value)
            status = self.status if node.assigns and any("$(" in a or "`" in a
                                                         for a in node.assigns) else 0
            if self.apply_redirects(node.redirects, io) is None:
                return 1
            return status
        redirected = self.apply_redirects(node.redirects, io)
        if redirected is None:
            return 1
        if self.options["x"]:
            redirected.stderr.write("+ " + " ".join(argv) + "\n")
        builtin = builtins.lookup(self.kind, argv[0])
        if builtin is not None:
            saved = {k: self.vars.get(k) for k in assigns}
            for name, value in assigns.items():
                self.set(name, value)
            try:
                return builtin(self, argv, redirected)
            finally:
                if argv[0] not in builtins.SPECIAL:
                    for name, value in saved.items():
                        if value is None:
                            self.vars.pop(name, None)
                        else:
                            self.vars[name] = value
        if node is self._exec_node:
            pid = self.pid
        return self.run_external(argv, redirected, assigns, pid)

    def _expansion_failed(self, error: ExpansionError, io: IO) -> int:
        """An expansion error ends the command, and a shell that is not interactive."""
        self.error(io, str(error))
        self.status = error.bash_status if self.kind == "bash" else 2
        if not self.interactive:
            raise ShellExit(self.status)
        return self.status

    def run_external(self, argv: list[str], io: IO, assigns: dict[str, str] | None = None,
                     pid: int | None = None) -> int:
        found = self.system.find_program(argv[0], self.vars.get("PATH", ""), self.cwd)
        if found is None:
            self.error(io, messages.not_found(self.kind, argv[0]))
            return 127
        path, node = found
        if node.is_dir:
            self.error(io, messages.is_directory(self.kind, argv[0]))
            return 126
        if not node.is_executable:
            self.error(io, f"{argv[0]}: Permission denied")
            return 126
        self.vars["_"] = argv[-1]
        env = self.environment(assigns)
        env["_"] = path if "/" in path else posixpath.join("/", path)
        status = self.system.run_program(node, argv, env, io, self.cwd, pid=pid)
        notice = self.system.take_death_notice()
        if notice:
            self.system.stderr.write(notice + "\n")
        return status

    def apply_redirects(self, redirects: list[Redirect], io: IO) -> IO | None:
        """The streams after `redirects`, or None (message printed) when one fails."""
        return apply_redirects(self, redirects, io)


def _display(command) -> str:
    if isinstance(command, Simple):
        return " ".join(re.sub(r"[\"']", "", w) for w in command.words)
    return "sh"

