"""Command-line option parsing with GNU and busybox wording for mistakes."""

from __future__ import annotations

import getopt

from kubetui.localcluster.sandbox.system import Invocation, UsageError


def getopts(inv: Invocation, args: list[str], short: str, long: tuple[str, ...] = (),
            status: int = 1) -> tuple[list[tuple[str, str]], list[str]]:
    """gnu_getopt, printing `ls: invalid option -- 'z'` style errors (UsageError)."""
    try:
        return getopt.gnu_getopt(args, short, list(long))
    except getopt.GetoptError as error:
        option = error.opt
        if inv.busybox:
            inv.err(f"{inv.name}: unrecognized option: {option}\n")
        elif "requires argument" in error.msg or "requires an argument" in error.msg:
            dashes = "--" if len(option) > 1 else ""
            inv.err(f"{inv.name}: option requires an argument -- '{dashes}{option}'\n")
        elif len(option) > 1:
            inv.err(f"{inv.name}: unrecognized option '--{option}'\n")
        else:
            inv.err(f"{inv.name}: invalid option -- '{option}'\n")
        if not inv.busybox:
            inv.err(f"Try '{inv.name} --help' for more information.\n")
        raise UsageError(status) from None


def flags(opts: list[tuple[str, str]]) -> set[str]:
    return {name for name, _ in opts}


def value(opts: list[tuple[str, str]], *names: str, default: str | None = None) -> str | None:
    found = default
    for name, val in opts:
        if name in names:
            found = val
    return found


def obsolete_count(args: list[str]) -> list[str]:
    """head/tail accept `-5` for `-n 5`."""
    return [f"-n{a[1:]}" if len(a) > 1 and a[0] == "-" and a[1:].isdigit() else a for a in args]
