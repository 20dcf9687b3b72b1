"""Redirections: `>`, `>>`, `<`, `2>&1`, `&>`, here-documents and here-strings.

Targets live in the in-memory filesystem; `/dev/null`, `/dev/stdout`, `/dev/stderr` and
`/dev/tty` are the only device names that mean something. A failed redirection prints the
shell's own wording and the command does not run.
"""

from __future__ import annotations

from kubetui.localcluster.sandbox.streams import IO, FileOut, NullIn, NullOut, StrIn
from kubetui.localcluster.sandbox.vfs import FsError
from kubetui.localcluster.shell import messages
from kubetui.localcluster.shell.expand import ExpansionError
from kubetui.localcluster.shell.state import ShellState
from kubetui.localcluster.shell.syntax import Redirect


def apply_redirects(shell: ShellState, redirects: list[Redirect], io: IO) -> IO | None:
    streams = {0: io.stdin, 1: io.stdout, 2: io.stderr}
    for redirect in redirects:
        try:
            _redirect(shell, redirect, streams, io)
        except FsError as error:
            target = shell.expander.string(redirect.target)
            shell.error(io, messages.redirect_error(shell.kind, target, error.reason,
                                                   redirect.op.startswith("<")))
            return None
        except ExpansionError as error:
            shell.error(io, str(error))
            return None
    return IO(streams[0], streams[1], streams[2])


def _redirect(shell: ShellState, redirect: Redirect, streams: dict, io: IO) -> None:
    op = redirect.op
    if op == "<<<":  # bash here-string
        text = shell.expander.string(redirect.target) + "\n"
        streams[redirect.fd if redirect.fd is not None else 0] = StrIn(text)
        return
    if op in ("<<", "<<-"):
        body = redirect.body or ""
        text = shell.expander.heredoc(body) if redirect.expand_body else body
        streams[redirect.fd if redirect.fd is not None else 0] = StrIn(text)
        return
    target = shell.expander.string(redirect.target)
    fd = redirect.fd if redirect.fd is not None else (0 if op.startswith("<") else 1)
    if op in (">&", "<&") and (target.isdigit() or target == "-"):
        if target == "-":
            streams[fd] = NullOut() if op == ">&" else NullIn()
        else:
            streams[fd] = streams.get(int(target), NullOut())
        return
    if op in ("<", "<>"):
        if target == "/dev/null":
            streams[fd] = NullIn()
            return
        data = shell.system.fs.read(target, shell.cwd)
        streams[fd] = StrIn(data.decode("utf-8", "surrogateescape"))
        return
    out = _open_output(shell, target, streams, append=op == ">>")
    if op in ("&>", ">&"):
        streams[1] = streams[2] = out
    else:
        streams[fd] = out


def _open_output(shell: ShellState, target: str, streams: dict, append: bool):
    """`/dev/stdout` and the fd paths name the shell's own streams as they are now (so
    `> /proc/1/fd/1` in a container's command reaches its log)."""
    if target == "/dev/null":
        return NullOut()
    if target == "/dev/tty":
        return shell.system.stdout
    named = {"/dev/stdout": 1, "/dev/stderr": 2}
    for directory in ("/dev/fd/", "/proc/self/fd/", f"/proc/{shell.pid}/fd/"):
        named.update({f"{directory}{fd}": fd for fd in (1, 2)})
    if target in named:
        return streams[named[target]]
    return FileOut(shell.system.fs, target, shell.cwd, append)
