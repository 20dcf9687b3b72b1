"""Prompts and error wording of bash, dash and busybox ash.

Kept apart from the interpreter so the exact strings are easy to compare with the real
shells: bash names itself (`bash: foo: command not found`, or `/bin/bash: line 1: …` when
running `-c` from bash 5.1 on), dash adds the line number (`sh: 1: foo: not found`), ash is
terse (`sh: foo: not found`).
"""

from __future__ import annotations

import posixpath

from kubetui.localcluster.images.catalogue import ImageInfo
from kubetui.localcluster.shell.state import ShellState
from kubetui.localcluster.shell.syntax import Incomplete, ShellSyntaxError, Unsupported

_BASH_VERSIONS = {"stretch": "4.4.12(1)-release", "buster": "5.0.3(1)-release",
                  "bullseye": "5.1.4(1)-release", "noble": "5.2.21(1)-release"}


def bash_version(image: ImageInfo) -> str:
    return _BASH_VERSIONS.get(image.os_release, "5.2.15(1)-release")


def _bash_numbers_lines(shell: ShellState) -> bool:
    version = bash_version(shell.system.image)
    return not shell.interactive and not version.startswith(("4.", "5.0"))


def error_prefix(shell: ShellState) -> str:
    if shell.kind == "bash":
        name = "bash" if shell.interactive else shell.argv0
        if _bash_numbers_lines(shell):
            return f"{name}: line {max(shell.lineno, 1)}: "
        return f"{name}: "
    if shell.kind == "dash":
        return f"{shell.argv0}: {max(shell.lineno, 1)}: "
    return f"{shell.argv0}: "


def not_found(kind: str, name: str) -> str:
    if kind == "bash":
        return f"{name}: {'No such file or directory' if '/' in name else 'command not found'}"
    return f"{name}: not found"


def is_directory(kind: str, name: str) -> str:
    return f"{name}: {'Is a directory' if kind == 'bash' else 'Permission denied'}"


def redirect_error(kind: str, target: str, reason: str, reading: bool) -> str:
    if kind == "bash":
        return f"{target}: {reason}"
    missing = reason.startswith("No such")
    if kind == "dash":
        if reading:
            return f"cannot open {target}: No such file"
        return f"cannot create {target}: {'Directory nonexistent' if missing else reason}"
    if reading:
        return f"can't open '{target}': {reason}"
    return f"can't create {target}: {'nonexistent directory' if missing else reason}"


def syntax_error(kind: str, token: str) -> str:
    if kind == "bash":
        return f"syntax error near unexpected token `{token}'"
    if kind == "dash":
        shown = "newline" if token == "newline" else f'"{token}"'
        return f"Syntax error: {shown} unexpected"
    return f"syntax error: unexpected {'newline' if token == 'newline' else repr(token)}"


def parse_failure(shell: ShellState, source: str, error: Exception, command_string: bool) -> str:
    """What the shell prints when `source` does not parse (bash running a `-c` string names
    it and the line, and shows the line that failed)."""
    if isinstance(error, Unsupported):
        return f"{error_prefix(shell)}{error.token}: not supported by kubetui's simulated shell\n"
    if isinstance(error, Incomplete):
        text = unexpected_eof(shell.kind, error.quote)
        line = source.count("\n") + (1 if error.quote or source.endswith("\n") else 2)
    else:
        assert isinstance(error, ShellSyntaxError)
        text, line = syntax_error(shell.kind, error.token), error.line
    if shell.kind != "bash" or not command_string:
        return f"{error_prefix(shell)}{text}\n"
    prefix = f"{shell.argv0}: -c: line {line}: "
    if isinstance(error, Incomplete):
        return f"{prefix}{text}\n"
    lines = source.splitlines()
    failed = lines[line - 1] if 0 < line <= len(lines) else ""
    return f"{prefix}{text}\n{prefix}`{failed}'\n"


def unexpected_eof(kind: str, quote: str = "") -> str:
    """The script ended inside a construct (`quote`: inside that quote)."""
    if kind == "bash":
        return f"unexpected EOF while looking for matching `{quote}'" if quote else \
            "syntax error: unexpected end of file"
    if kind == "dash":
        return "Syntax error: Unterminated quoted string" if quote else \
            "Syntax error: end of file unexpected"
    return "syntax error: unterminated quoted string" if quote else \
        "syntax error: unexpected end of file"


def _short_cwd(shell: ShellState) -> str:
    home = shell.vars.get("HOME", "")
    cwd = shell.cwd
    if home and home != "/" and (cwd == home or cwd.startswith(home.rstrip("/") + "/")):
        return "~" + cwd[len(home.rstrip("/")):]
    return cwd


def prompt(shell: ShellState) -> str:
    if "PS1" in shell.vars and shell.kind != "dash":
        return _expand_ps1(shell, shell.vars["PS1"])
    if shell.kind == "bash":
        return f"root@{shell.system.hostname}:{_short_cwd(shell)}# "
    if shell.kind == "dash":
        return shell.vars.get("PS1", "# ")
    return f"{_short_cwd(shell)} # "


def _expand_ps1(shell: ShellState, template: str) -> str:
    replacements = {"u": "root", "h": shell.system.hostname.split(".")[0],
                    "H": shell.system.hostname, "w": _short_cwd(shell),
                    "W": posixpath.basename(shell.cwd) or "/", "$": "#", "n": "\n",
                    "s": posixpath.basename(shell.argv0), "\\": "\\"}
    out, i = [], 0
    while i < len(template):
        if template[i] == "\\" and i + 1 < len(template):
            key = template[i + 1]
            if key in ("[", "]"):
                i += 2
                continue
            out.append(replacements.get(key, "\\" + key))
            i += 2
        else:
            out.append(template[i])
            i += 1
    return "".join(out)
