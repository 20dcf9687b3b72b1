"""Resource types for the grammar: `model.resource_names` (the one resolver), its words as
`GrammarError`s, and the targets positional arguments name.

Key decision: nothing here decides what a name means. `ResourceTable` is `resource_names`'s
table (discovery in kubectl's priority order) whose misses read as kubectl prints them
(`error: the server doesn't have a resource type "foo"`); `targets` reads positional arguments
with `resource_names.parse_type_args` (kubectl's ResourceTypeOrNameArgs): `TYPE NAME...`,
`TYPE1,TYPE2 NAME`, `TYPE/NAME...`, categories such as `all`.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubetui.model import resource_names
from kubetui.model.kubectl_grammar.flagset import GrammarError
from kubetui.model.resource_names import ApiResource, TypeArgumentError, UnknownResourceType

__all__ = ["ApiResource", "ResourceTable", "Target", "targets", "type_and_name"]


@dataclass(frozen=True)
class Target:
    """One object (or, with `name` None, every object) of one resource type."""
    resource: ApiResource
    name: str | None = None


class ResourceTable(resource_names.ResourceTable):
    """The resolver, answering in the grammar's errors."""

    def resolve(self, arg: str) -> ApiResource:
        try:
            return super().resolve(arg)
        except UnknownResourceType as exc:
            raise GrammarError(f"error: {exc}") from None

    def resolve_types(self, arg: str) -> tuple[ApiResource, ...]:
        try:
            return super().resolve_types(arg)
        except UnknownResourceType as exc:
            raise GrammarError(f"error: {exc}") from None


@dataclass(frozen=True)
class Selection:
    targets: tuple[Target, ...]
    tuples: bool  # given as TYPE/NAME (or TYPE1,TYPE2 NAME, which kubectl rewrites so)


def select_args(args: list[str], table: ResourceTable) -> Selection:
    """What positional arguments name, with kubectl's checks and words."""
    try:
        wanted = resource_names.parse_type_args(args, table.resources, program="kubectl")
    except TypeArgumentError as exc:
        raise GrammarError(f"error: {exc}") from None
    if wanted.pairs:
        found = tuple(Target(table.resolve(kind), name) for kind, name in wanted.pairs)
    else:
        found = tuple(Target(table.resolve(kind)) for kind in wanted.types)
    return Selection(found, wanted.tuples)


def targets(args: list[str], table: ResourceTable) -> tuple[Target, ...]:
    return select_args(args, table).targets


def type_and_name(arg: str) -> tuple[str, str]:
    """`TYPE/NAME` with kubectl's checks."""
    try:
        return resource_names.type_and_name(arg)
    except TypeArgumentError as exc:
        raise GrammarError(f"error: {exc}") from None
