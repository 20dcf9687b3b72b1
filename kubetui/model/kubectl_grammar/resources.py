"""Resource types as the server's discovery names them, resolved the way kubectl resolves them.

The caller builds a `ResourceTable` from discovery (plural, singular, short names, kind, group,
version, categories), core group first as kubectl prefers it; nothing here asks a server.
`resolve` follows kubectl's builder: categories (`all`) first, then `resource.version.group`,
then `resource.group` (a group prefix is enough: `deploy.app`), plural and singular
case-insensitively, short names exactly as listed, then the kind; a miss is kubectl's
`the server doesn't have a resource type "foo"`. `targets` reads positional arguments as
kubectl's ResourceTypeOrNameArgs does: `TYPE NAME...`, `TYPE1,TYPE2 NAME`, `TYPE/NAME...`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from kubetui.model.api_names import go_quote
from kubetui.model.kubectl_grammar.flagset import GrammarError


@dataclass(frozen=True)
class ResourceInfo:
    plural: str
    singular: str
    kind: str
    group: str = ""
    version: str = "v1"
    namespaced: bool = True
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ()

    @property
    def qualified(self) -> str:
        """kubectl's name for the type: `pods`, `deployments.apps`."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version


@dataclass(frozen=True)
class Target:
    """One object (or, with `name` None, every object) of one resource type."""
    resource: ResourceInfo
    name: str | None = None


class ResourceTable:
    """The resolver: discovery data in priority order (core first, as kubectl orders groups)."""

    def __init__(self, resources: Iterable[ResourceInfo]) -> None:
        self.resources = tuple(resources)

    @classmethod
    def from_discovery(cls, resource_lists: Iterable[dict]) -> "ResourceTable":
        """From APIResourceList documents: /api/v1 first, then each group's preferred version,
        as discovery lists them (subresources such as `pods/log` are skipped)."""
        found: list[ResourceInfo] = []
        for document in resource_lists:
            group, _, version = document.get("groupVersion", "").rpartition("/")
            for entry in document.get("resources") or ():
                if "/" in entry.get("name", "/"):
                    continue
                found.append(ResourceInfo(
                    plural=entry["name"], singular=entry.get("singularName") or entry.get("kind", "").lower(),
                    kind=entry.get("kind", ""), group=group, version=version,
                    namespaced=bool(entry.get("namespaced")), short_names=tuple(entry.get("shortNames") or ()),
                    categories=tuple(entry.get("categories") or ()), verbs=tuple(entry.get("verbs") or ())))
        return cls(found)

    def names(self) -> list[str]:
        """Every name a type can be typed as, for completion: plurals, singulars, short names."""
        seen: dict[str, None] = {}
        for r in self.resources:
            for name in (r.plural, r.singular, *r.short_names):
                seen.setdefault(name, None)
        return list(seen)

    def categories(self) -> list[str]:
        return list(dict.fromkeys(c for r in self.resources for c in r.categories))

    def resolve(self, arg: str) -> tuple[ResourceInfo, ...]:
        """All types `arg` names (several only for a category); raises GrammarError."""
        in_category = tuple(r for r in self.resources if arg in r.categories)
        if in_category:
            return in_category
        resource, _, group = arg.partition(".")
        if arg.count(".") >= 2:
            name, version, full_group = arg.split(".", 2)
            found = self._match(name, full_group, version)
            if found:
                return (found,)
        found = self._match(resource, group, None) or self._kind(resource, group)
        if found:
            return (found,)
        if group:
            raise GrammarError(f"error: the server doesn't have a resource type {go_quote(resource)} "
                               f"in group {go_quote(group)}")
        raise GrammarError(f"error: the server doesn't have a resource type {go_quote(resource)}")

    def resolve_one(self, arg: str) -> ResourceInfo:
        return self.resolve(arg)[0]

    def _in_group(self, group: str) -> list[ResourceInfo]:
        if not group:
            return list(self.resources)
        exact = [r for r in self.resources if r.group == group]
        return exact or [r for r in self.resources if r.group.startswith(group)]

    def _match(self, name: str, group: str, version: str | None) -> ResourceInfo | None:
        candidates = [r for r in self._in_group(group) if version is None or r.version == version]
        lowered = name.lower()
        for r in candidates:
            if lowered in (r.plural, r.singular):
                return r
        for r in candidates:
            if name in r.short_names:
                return r
        return None

    def _kind(self, kind: str, group: str) -> ResourceInfo | None:
        return next((r for r in self.resources if r.kind == kind and (not group or r.group == group)), None)


def split_types(arg: str) -> list[str]:
    """kubectl's SplitResourceArgument: comma-separated, duplicates dropped, empties kept."""
    return list(dict.fromkeys(arg.split(",")))


def normalize_args(args: list[str]) -> list[str]:
    """`TYPE1,TYPE2 NAME...` becomes `TYPE1/NAME... TYPE2/NAME...`, as kubectl rewrites it."""
    if len(args) >= 2 and len(split_types(args[0])) > 1:
        return [f"{kind}/{name}" for kind in split_types(args[0]) for name in args[1:]]
    return list(args)


def targets(args: list[str], table: ResourceTable) -> tuple[Target, ...]:
    """`TYPE [NAME...]` or `TYPE/NAME...` into targets (kubectl's ResourceTypeOrNameArgs)."""
    args = normalize_args(args)
    with_slash = sum("/" in a for a in args)
    if with_slash and with_slash != len(args):
        raise GrammarError(
            "error: there is no need to specify a resource type as a separate argument when passing "
            "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of "
            "'kubectl get resource resource/<resource_name>'")
    if with_slash:
        found: list[Target] = []
        for arg in args:
            kind, name = type_and_name(arg)
            found.extend(Target(r, name) for r in table.resolve(kind))
        return tuple(found)
    if not args:
        return ()
    kinds = [r for kind in split_types(args[0]) for r in table.resolve(kind)]
    names = args[1:]
    if not names:
        return tuple(Target(r) for r in kinds)
    return tuple(Target(r, name) for r in kinds for name in names)


def type_and_name(arg: str) -> tuple[str, str]:
    """`TYPE/NAME` with kubectl's checks."""
    parts = arg.split("/")
    if len(parts) != 2:
        raise GrammarError("error: arguments in resource/name form may not have more than one slash")
    kind, name = parts
    if not kind or not name or len(split_types(kind)) != 1:
        raise GrammarError("error: arguments in resource/name form must have a single resource and name")
    return kind, name
