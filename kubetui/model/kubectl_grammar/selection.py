"""Which objects a command's arguments select, with the checks and words of kubectl's builder.

A port of the decisions in k8s.io/cli-runtime's resource.Builder (visitorResult and the
visitors it picks): names, `TYPE/NAME` tuples, selectors, `--all` and `-f` paths exclude one
another in the same order and with the same messages. Also the small readers every command
shares: the scope flags, `--dry-run`, optional strings.
"""

from __future__ import annotations

from typing import Any

from kubetui.model.kubectl_grammar.flagset import GrammarError, Parsed
from kubetui.model.kubectl_grammar.resources import ResourceTable, Target, select_args

MISSING_RESOURCE = "error: You must provide one or more resources by argument or filename."


def select(args: list[str], table: ResourceTable, *, paths: tuple[str, ...] = (),
           selector: str | None = None, field_selector: str | None = None, select_all: bool = False,
           all_namespaces: bool = False, allow_empty_selector: bool = False) -> tuple[Target, ...]:
    """The targets of `args`; a type alone means every object of it when a selector applies."""
    if select_all and (selector or field_selector):
        raise GrammarError("error: setting 'all' parameter but found a non empty selector. ")
    selection = select_args(args, table)
    found, tuples = selection.targets, selection.tuples
    names = not tuples and any(t.name is not None for t in found)
    types = bool(found) and not tuples
    selecting = bool(selector or field_selector or select_all
                     or (allow_empty_selector and len(args) == 1 and not tuples))
    if paths:
        if types:
            raise GrammarError("error: when paths, URLs, or stdin is provided as input, "
                               "you may not specify resource arguments as well")
        if tuples:
            raise GrammarError("error: resource/name arguments cannot be provided when a path is specified")
        return ()
    if selecting:
        if names:
            raise GrammarError("error: name cannot be provided when a selector is specified")
        if tuples:
            raise GrammarError("error: selectors and the all flag cannot be used when passing "
                               "resource/name arguments")
        if not types:
            raise GrammarError("error: at least one resource must be specified to use a selector")
        return found
    if tuples or names:
        if all_namespaces:
            raise GrammarError("error: a resource cannot be retrieved by name across all namespaces")
        return found
    if types:
        raise GrammarError("error: resource(s) were provided, but no name was specified")
    raise GrammarError(MISSING_RESOURCE)


def scope(parsed: Parsed) -> dict[str, Any]:
    """namespace and context; an empty `-n ""` means the context's namespace, as in kubectl."""
    return {"namespace": parsed.get("namespace") or None, "context": parsed.get("context") or None}


def text(parsed: Parsed, name: str) -> str | None:
    return parsed.get(name) or None


def dry_run(parsed: Parsed) -> str:
    value = parsed.get("dry-run", "none")
    if value == "unchanged":  # a bare --dry-run: kubectl warns it is deprecated and runs client
        return "client"
    if value in ("none", "client", "server"):
        return value
    raise GrammarError(f'error: Invalid dry-run value ({value}). Must be "none", "server", or "client".')


def paths(parsed: Parsed) -> tuple[str, ...]:
    return tuple(parsed.get("filename", ()))
