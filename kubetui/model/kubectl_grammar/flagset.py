"""kubectl's flag parsing (spf13/pflag as cobra drives it), with pflag's error words.

Flags may come before, between or after positional arguments; `--` ends them (everything after
is positional, and where it stood is remembered, as exec needs); `-n ns`, `-nns`, `-n=ns`,
`--namespace ns`, `--namespace=ns`, combined shorthands (`-it`, `-Aw=false`) and bool flags with
an explicit value (`--watch=false`) all behave as in kubectl, `_` in a long name reads as `-`.
Key decision: a command's table lists every flag kubectl defines for it, each marked whether
kubetui acts on it, so a flag kubectl does not know gets kubectl's own error
(`error: unknown flag: --bogus`) and a flag kubectl knows but kubetui ignores is refused by
name, never silently dropped.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import Any

from kubetui.model.go_quote import go_quote
from kubetui.model.kubectl_grammar.go_values import parse_bool, parse_duration, parse_int


class GrammarError(ValueError):
    """A command line kubetui will not run; `str()` is one line for the user."""


@dataclass(frozen=True)
class Flag:
    name: str
    shorthand: str = ""
    kind: str = "string"       # bool, string, int, duration, strings (comma list), array
    no_opt_default: str = ""   # value when given bare (`--dry-run` means "unchanged")
    supported: bool = False    # kubetui acts on it

    @property
    def label(self) -> str:
        """How pflag names the flag in `invalid argument` errors."""
        return f"-{self.shorthand}, --{self.name}" if self.shorthand else f"--{self.name}"

    def convert(self, text: str) -> Any:
        if self.kind == "bool":
            return parse_bool(text)
        if self.kind == "int":
            return parse_int(text)
        if self.kind == "duration":
            return parse_duration(text)
        if self.kind == "strings":
            return [] if text == "" else next(csv.reader([text]))
        if self.kind == "array":
            return [text]
        return text


def flag_table(spec: str) -> tuple[Flag, ...]:
    """Flags from lines `SHORT NAME KIND [+]`: SHORT is `-` for none, KIND may be
    `string=DEFAULT` for a value-optional flag, `+` marks the flags kubetui acts on."""
    flags = []
    for line in spec.splitlines():
        parts = line.split()
        if not parts:
            continue
        short, name, kind = parts[0], parts[1], parts[2]
        kind, _, bare = kind.partition("=")
        flags.append(Flag(name, "" if short == "-" else short, kind,
                          "true" if kind == "bool" else bare, supported="+" in parts[3:]))
    return tuple(flags)


class FlagSet:
    """The flags one command accepts: its own, then the global ones (its own win on a clash)."""

    def __init__(self, *tables: tuple[Flag, ...]) -> None:
        self.by_name: dict[str, Flag] = {}
        self.by_short: dict[str, Flag] = {}
        for table in tables:
            for flag in table:
                self.by_name.setdefault(flag.name, flag)
                if flag.shorthand:
                    self.by_short.setdefault(flag.shorthand, flag)

    def __iter__(self):
        return iter(self.by_name.values())


@dataclass
class Parsed:
    """The outcome of parsing: values by flag name, positionals, and where `--` stood."""
    values: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)  # the last value as typed, by flag name
    given: list[tuple[Flag, str]] = field(default_factory=list)  # (flag, as typed) in order
    args: list[str] = field(default_factory=list)
    args_len_at_dash: int = -1

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.values


def _set(parsed: Parsed, flag: Flag, value: str, typed: str) -> None:
    try:
        converted = flag.convert(value)
    except ValueError as exc:
        raise GrammarError(
            f"error: invalid argument {go_quote(value)} for {go_quote(flag.label)} flag: {exc}") from None
    if flag.kind in ("strings", "array") and flag.name in parsed.values:
        converted = parsed.values[flag.name] + converted
    parsed.values[flag.name] = converted
    parsed.raw[flag.name] = value
    parsed.given.append((flag, typed))


def parse_flags(args: list[str], flags: FlagSet, parsed: Parsed | None = None, *,
                interspersed: bool = True) -> Parsed:
    """pflag's parseArgs; raises GrammarError in pflag's words. Not interspersed: flags end at
    the first positional argument (how flags before a command are read)."""
    parsed = parsed if parsed is not None else Parsed()
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if len(arg) < 2 or arg[0] != "-":
            parsed.args.append(arg)
            if not interspersed:
                parsed.args.extend(rest)
                break
            continue
        if arg[1] == "-":
            if len(arg) == 2:
                parsed.args_len_at_dash = len(parsed.args)
                parsed.args.extend(rest)
                break
            rest = _long(arg, rest, flags, parsed)
        else:
            shorthands = arg[1:]
            while shorthands:
                shorthands, rest = _short(shorthands, rest, flags, parsed)
    return parsed


def _long(arg: str, rest: list[str], flags: FlagSet, parsed: Parsed) -> list[str]:
    name = arg[2:]
    if not name or name[0] in "-=":
        raise GrammarError(f"error: bad flag syntax: {arg}")
    name, has_value, value = name.partition("=")
    flag = flags.by_name.get(name.replace("_", "-"))
    if flag is None:
        raise GrammarError(f"error: unknown flag: --{name}")
    if has_value:
        pass
    elif flag.no_opt_default:
        value = flag.no_opt_default
    elif rest:
        value = rest.pop(0)
    else:
        raise GrammarError(f"error: flag needs an argument: {arg}")
    _set(parsed, flag, value, arg)
    return rest


def _short(shorthands: str, rest: list[str], flags: FlagSet, parsed: Parsed) -> tuple[str, list[str]]:
    char = shorthands[0]
    flag = flags.by_short.get(char)
    if flag is None:
        raise GrammarError(f"error: unknown shorthand flag: {_go_rune(char)} in -{shorthands}")
    remaining = shorthands[1:]
    if len(shorthands) > 2 and shorthands[1] == "=":
        value, remaining = shorthands[2:], ""
    elif flag.no_opt_default:
        value = flag.no_opt_default
    elif len(shorthands) > 1:
        value, remaining = shorthands[1:], ""
    elif rest:
        value = rest.pop(0)
    else:
        raise GrammarError(f"error: flag needs an argument: {_go_rune(char)} in -{shorthands}")
    _set(parsed, flag, value, f"-{char}")
    return remaining, rest


def _go_rune(char: str) -> str:
    """Go's %q of a byte."""
    if char == "'":
        return "'\\''"
    if char == "\\":
        return "'\\\\'"
    return f"'{char}'" if char.isprintable() else f"'\\u{ord(char):04x}'"
