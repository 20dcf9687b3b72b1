"""The shell interpreter: bash, dash (Debian's sh) and busybox ash flavours.

The flavours differ where a learner would notice: prompts (`root@pod:/# `, `# `, `/ # `),
error wording (`bash: foo: command not found` vs `sh: 1: foo: not found`), `echo`'s escape
handling and the `exit` that bash prints. Pipelines run their stages one after another
through buffers (a simulation has no concurrency to show), with every stage registered in
the process table first, so `ps aux | grep x` still lists the grep. Ctrl-C arrives as
SIGINT from the pty's line discipline and surfaces here as KeyboardInterrupt.
"""

from __future__ import annotations

import posixpath
import re

from kubetui.localcluster.sandbox import bounds
from kubetui.localcluster.shell import builtins, messages
from kubetui.localcluster.shell.expand import Expander, ExpansionError
from kubetui.localcluster.shell.redirects import apply_redirects
from kubetui.localcluster.sandbox.streams import IO, BufferOut, StrIn
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
    Unsupported,
    parse,
)
from kubetui.localcluster.sandbox.system import Process, System


class ShellExit(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status & 0xFF


class LoopControl(Exception):
    def __init__(self, kind: str, levels: int):
        super().__init__(kind)
        self.kind, self.levels = kind, levels


class Shell:
    def __init__(self, system: System, kind: str, argv0: str, positional: list[str],
                 env: dict[str, str], cwd: str, pid: int, interactive: bool = False,
                 command_mode: bool = False):
        self.system, self.kind, self.argv0 = system, kind, argv0
        self.positional = list(positional)
        self.vars: dict[str, str] = dict(env)
        self.exported: set[str] = set(env)
        self.cwd, self.pid = cwd, pid
        self.interactive, self.command_mode = interactive, command_mode
        self.status, self.lineno, self.loop_depth = 0, 0, 0
        self.options = {"e": False, "x": False}
        self.aliases: dict[str, str] = {}
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
        if name in ("*", "@"):
            return " ".join(self.positional)
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

    # ---- running source ----------------------------------------------------------------
    def run_source(self, source: str, io: IO) -> int:
        try:
            tree = parse(source)
        except Incomplete:
            self.error(io, messages.unexpected_eof(self.kind))
            self.status = 2
            return 2
        except Unsupported as error:
            self.error(io, f"{error.token}: not supported by kubetui's simulated shell")
            self.status = 2
            return 2
        except ShellSyntaxError as error:
            self.error(io, messages.syntax_error(self.kind, error.token))
            self.status = 2
            return 2
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
        child.expander = Expander(child)
        child.interactive = False
        return child

    # ---- the tree ----------------------------------------------------------------------
    def execute(self, node, io: IO) -> int:
        if isinstance(node, Sequence):
            for item, _background in node.items:
                self.status = self.run_and_or(item, io)
                if self.options["e"] and self.status != 0:
                    raise ShellExit(self.status)
            return self.status
        if isinstance(node, AndOr):
            return self.run_and_or(node, io)
        return self.run_command(node, io)

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
            data, status = None, 0
            try:
                for index, (pid, command) in enumerate(zip(pids, node.commands)):
                    last = index == len(node.commands) - 1
                    out = io.stdout if last else BufferOut()
                    stdin = io.stdin if data is None else StrIn(data)
                    status = self.run_command(command, io.replace(stdin=stdin, stdout=out),
                                              pid)
                    self.system.unregister(pid)
                    data = None if last else out.getvalue()
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
            items = self.positional if node.items is None else [
                f for word in node.items for f in self.expander.fields(word)]
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
            while True:
                if items is not None:
                    if index >= len(items):
                        break
                    self.set(var, items[index])
                    index += 1
                elif (self._condition(cond, redirected) == 0) == until:
                    break
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
            self.error(io, str(error))
            self.status = 1
            return 1
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
        return self.run_external(argv, redirected, assigns, pid)

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
        status = self.system.run_program(node, argv, env, io, self.cwd, shell=self, pid=pid)
        notice = self.system.take_death_notice()
        if notice:
            self.system.stderr.write(notice + "\n")
        return status

    def apply_redirects(self, redirects: list[Redirect], io: IO) -> IO | None:
        """The streams after `redirects`, or None (message printed) when one fails."""
        return apply_redirects(self, redirects, io)

    # ---- reading commands --------------------------------------------------------------
    def prompt(self) -> str:
        return messages.prompt(self)

    def read_command(self, io: IO, interactive: bool) -> str | None:
        """Read lines until they parse; None at end of input."""
        source = ""
        while True:
            line = io.stdin.readline()
            if not line:
                if source:
                    return source  # let run_source report the unexpected end of file
                return None
            self.lineno += 1
            source += line
            try:
                parse(source)
                return source
            except Incomplete:
                if interactive:
                    io.stderr.write(self.vars.get("PS2", "> "))
            except ShellSyntaxError:
                return source

    def interact(self, io: IO) -> int:
        """The interactive loop: prompt, read, run; Ctrl-C abandons the line or command, and
        so does spending the CPU budget each command gets.

        SIGINT may land anywhere (even while the prompt is being written), so the whole
        round is protected, not just the read.
        """
        while True:
            bounds.new_command()
            try:
                finished = self._interactive_round(io)
            except bounds.CpuTimeExceeded:
                self.status = bounds.CPU_STATUS  # the command is stopped, the shell goes on
                io.stderr.write(bounds.CPU_TEXT + "\n")
                continue
            except KeyboardInterrupt:
                _discard(io)
                self.status = 130
                try:
                    io.stderr.write("\n")
                except KeyboardInterrupt:
                    pass
                continue
            if finished is not None:
                return finished

    def _interactive_round(self, io: IO) -> int | None:
        """One prompt and command; the shell's exit status when it should end."""
        io.stderr.write(self.prompt())
        source = self.read_command(io, interactive=True)
        if source is None:
            if self.kind == "bash":
                io.stderr.write("exit\n")
            return self.status
        if source.strip():
            self.system.history.append(source.rstrip("\n"))
        self.system.layers.sync()  # what other sessions saved meanwhile
        try:
            self.status = self.run_source(source, io)
        except LoopControl:
            self.status = 0
        except ShellExit as done:
            if self.kind == "bash":
                io.stderr.write("exit\n")
            return done.status
        finally:
            self.system.layers.sync()  # what this command changed, for the others
        return None

    def run_stream(self, io: IO) -> int:
        """Non-interactive: commands come from a pipe or a file, no prompts."""
        while True:
            source = self.read_command(io, interactive=False)
            if source is None:
                return self.status
            try:
                parse(source)
            except (Incomplete, ShellSyntaxError):
                return self.run_source(source, io)
            try:
                self.status = self.run_source(source, io)
            except ShellExit as done:
                return done.status


def _discard(io: IO) -> None:
    discard = getattr(io.stdin, "discard", None)
    if discard:
        discard()


def _display(command) -> str:
    if isinstance(command, Simple):
        return " ".join(re.sub(r"[\"']", "", w) for w in command.words)
    return "sh"
