"""Resource types as `kubectl get` names them: discovery data in, the one type an argument means out.

A port of what kubectl does with `TYPE[,TYPE...] [NAME...]` and `TYPE/NAME`: cli-runtime's
argument rules (with their error messages), the category expansion (`all`), client-go's shortcut
expander (short names, group prefixes) and apimachinery's `DefaultRESTMapper` (plural, singular,
`resource.group`, `resource.version.group`, then the kind). Key decision: resources are given in
kubectl's priority order (the core group first, then the groups as discovery lists them, the
preferred version of each first), and the first match wins, as client-go's PriorityRESTMapper
picks; the error for an unknown type is kubectl's `NoResourceMatchError` text, byte for byte.
`ResourceTable` holds one server's resources in that order and answers every question about
type names (kubetui get, the views, applying, the `:` command line and its completion all ask
it). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from kubetui.model.go_quote import go_quote

__all__ = ["ApiResource", "ResourceArgs", "ResourceTable", "TypeArgumentError", "UnknownResourceType",
           "expand_categories", "for_kind", "normalize_args", "parse_type_args", "resolve",
           "resources_from_discovery", "split_types", "type_and_name"]


@dataclass(frozen=True)
class ApiResource:
    """One resource of one group version, as an APIResourceList entry describes it."""

    group: str
    version: str
    plural: str
    singular: str
    kind: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def kind_text(self) -> str:
        """`pod`, `deployment.apps`: how `-o name` and several-kind tables prefix a name."""
        lower = self.kind.lower()
        return f"{lower}.{self.group}" if self.group else lower

    @property
    def resource_text(self) -> str:
        """`pods`, `deployments.apps`: the plural with its group, as categories expand to."""
        return f"{self.plural}.{self.group}" if self.group else self.plural


class TypeArgumentError(ValueError):
    """The arguments cannot be read as types and names (kubectl's words)."""


class UnknownResourceType(LookupError):
    """No resource the server serves matches a type argument (kubectl's words)."""


def resources_from_discovery(resource_lists: list[dict]) -> list[ApiResource]:
    """Every resource (subresources left out) of APIResourceLists given in priority order."""
    found = []
    for resource_list in resource_lists:
        group_version = str(resource_list.get("groupVersion") or "")
        group, _, version = group_version.rpartition("/")
        for entry in resource_list.get("resources") or ():
            name = str(entry.get("name") or "")
            if not name or "/" in name:
                continue
            kind = str(entry.get("kind") or "")
            found.append(ApiResource(
                group=group, version=version, plural=name,
                singular=str(entry.get("singularName") or "") or kind.lower(), kind=kind,
                namespaced=bool(entry.get("namespaced")),
                short_names=tuple(entry.get("shortNames") or ()), categories=tuple(entry.get("categories") or ()),
                verbs=tuple(entry.get("verbs") or ())))
    return found


# ------------------------------------------------------------------------------ arguments
@dataclass
class ResourceArgs:
    """What the arguments ask for: types with the names to get of each (none: list them all).

    `pairs` keeps kubectl's order: `deploy,rs a b` is deploy/a, deploy/b, rs/a, rs/b.
    """

    types: list[str] = field(default_factory=list)          # TYPE[,TYPE] without names: list these
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (type, name) to get one by one
    single_item: bool = False                               # one object named: -o json prints it bare
    tuples: bool = False                                    # TYPE/NAME form (or several types with names)


def parse_type_args(args: list[str], resources: list[ApiResource] | None = None,
                    program: str = "kubetui") -> ResourceArgs:
    """kubectl's `ResourceTypeOrNameArgs`, errors included (cli-runtime builder.go); with
    `resources`, categories such as `all` expand in the first argument, as kubectl expands them."""
    args = normalize_args(list(args))
    slashed = sum(1 for arg in args if "/" in arg)
    if slashed and slashed != len(args):
        raise TypeArgumentError(
            "there is no need to specify a resource type as a separate argument when passing arguments in "
            f"resource/name form (e.g. '{program} get resource/<resource_name>' instead of "
            f"'{program} get resource resource/<resource_name>'")
    if slashed:
        pairs = [type_and_name(arg) for arg in args]
        return ResourceArgs(pairs=pairs, single_item=len(pairs) == 1, tuples=True)
    if not args:
        return ResourceArgs()
    types = split_types(expand_categories(args[0], resources) if resources else args[0])
    if len(args) == 1:
        return ResourceArgs(types=types)
    if len(types) > 1:  # only a category can get here: `all x`
        raise TypeArgumentError("you must specify only one resource")
    return ResourceArgs(pairs=[(types[0], name) for name in args[1:]], single_item=len(args) == 2)


def split_types(arg: str) -> list[str]:
    """`deploy,rs,deploy` → deploy, rs (SplitResourceArgument drops repeats)."""
    out: list[str] = []
    for part in arg.split(","):
        if part not in out:
            out.append(part)
    return out


def normalize_args(args: list[str]) -> list[str]:
    """`a,b x y` → a/x a/y b/x b/y (normalizeMultipleResourcesArgs)."""
    if len(args) >= 2:
        types = split_types(args[0])
        if len(types) > 1:
            return [f"{kind}/{name}" for kind in types for name in args[1:]]
    return args


def type_and_name(arg: str) -> tuple[str, str]:
    parts = arg.split("/")
    if len(parts) != 2:
        raise TypeArgumentError("arguments in resource/name form may not have more than one slash")
    kind, name = parts
    if not kind or not name or len(split_types(kind)) != 1:
        raise TypeArgumentError("arguments in resource/name form must have a single resource and name")
    return kind, name


def expand_categories(arg: str, resources: list[ApiResource]) -> str:
    """`all` → `pods,services,deployments.apps,...` (ReplaceAliases, per comma-separated part)."""
    parts = []
    for part in arg.split(","):
        members: list[str] = []
        for resource in resources:
            if part in resource.categories and resource.resource_text not in members:
                members.append(resource.resource_text)
        parts.append(",".join(members) if members else part)
    return ",".join(parts)


# ------------------------------------------------------------------------------- mapping
def resolve(arg: str, resources: list[ApiResource]) -> ApiResource:
    """The resource `arg` names, as kubectl's builder `mappingFor` finds it."""
    full, partial = _parse_resource_arg(arg)
    if full is not None:
        found = _find(_expand(full, resources), resources)
        if found is not None:
            return found
    found = _find(_expand(partial, resources), resources)
    if found is not None:
        return found
    found = _find_kind(arg, resources)
    if found is not None:
        return found
    resource, group, _ = partial
    message = f"the server doesn't have a resource type {go_quote(resource)}"
    raise UnknownResourceType(f"{message} in group {go_quote(group)}" if group else message)


def for_kind(api_version: str, kind: str, resources: list[ApiResource]) -> ApiResource | None:
    """The resource serving a manifest's `apiVersion` and `kind` (RESTMapping of its exact group,
    version and kind), first in priority order; None when the server serves no such kind."""
    group, _, version = api_version.rpartition("/")
    return next((r for r in resources if r.kind == kind and r.version == version and r.group == group), None)


Wanted = tuple[str, str, str]  # resource, group, version ("" when not given)


def _parse_resource_arg(arg: str) -> tuple[Wanted | None, Wanted]:
    """schema.ParseResourceArg: `r.v.g` may be resource+version+group; `r.g` is resource+group."""
    full = None
    if arg.count(".") >= 2:
        resource, version, group = arg.split(".", 2)
        full = (resource, group, version)
    resource, _, group = arg.partition(".")
    return full, (resource, group, "")


def _expand(wanted: Wanted, resources: list[ApiResource]) -> Wanted:
    """client-go's shortcutExpander: a short name becomes its resource, unless a full name matches."""
    name, group, version = wanted
    for resource in resources:
        if group and group != resource.group:
            continue
        if name in (resource.plural, resource.singular):
            return wanted
    for resource in resources:
        if group and group != resource.group:
            continue
        if name in resource.short_names:
            return resource.plural, resource.group, version
    if group:  # a group prefix: `rs.ap` is replicasets.apps
        for resource in resources:
            if resource.group.startswith(group) and name in resource.short_names:
                return resource.plural, resource.group, version
    return wanted


def _find(wanted: Wanted, resources: list[ApiResource]) -> ApiResource | None:
    """DefaultRESTMapper.KindsFor (lower-cased), first match in priority order."""
    name, group, version = wanted
    name = name.lower()
    if not name:
        return None

    def named(resource: ApiResource) -> bool:
        return name in (resource.plural, resource.singular)

    candidates = [r for r in resources if named(r) and (not version or r.version == version)]
    if group:
        exact = [r for r in candidates if r.group == group]
        if exact or version:
            candidates = exact
        else:  # no exact group: a prefix (`storageclass.storage` is storage.k8s.io)
            candidates = [r for r in candidates if r.group.startswith(group)]
    return candidates[0] if candidates else None


def _find_kind(arg: str, resources: list[ApiResource]) -> ApiResource | None:
    """The kind fallback (`schema.ParseKindArg` then RESTMapping): `Kind[.version].group`, exact group."""
    candidates: list[tuple[str, str, str]] = []
    if arg.count(".") >= 2:
        kind, version, group = arg.split(".", 2)
        candidates.append((kind, group, version))
    kind, _, group = arg.partition(".")
    candidates.append((kind, group, ""))
    for kind, group, version in candidates:
        for resource in resources:
            if (kind in (resource.kind, resource.kind.lower()) and resource.group == group
                    and (not version or resource.version == version)):
                return resource
    return None


# --------------------------------------------------------------------------------- the table
class ResourceTable:
    """One server's resources in kubectl's priority order, and what each type name means there."""

    def __init__(self, resources: Iterable[ApiResource]) -> None:
        self.resources = list(resources)

    @classmethod
    def from_discovery(cls, resource_lists: list[dict]) -> "ResourceTable":
        return cls(resources_from_discovery(resource_lists))

    def resolve(self, arg: str) -> ApiResource:
        """The one resource `arg` names; UnknownResourceType in kubectl's words."""
        return resolve(arg, self.resources)

    def resolve_types(self, arg: str) -> tuple[ApiResource, ...]:
        """Every resource `arg` names: a category's members (`all`), else the one type."""
        members = expand_categories(arg, self.resources)
        if members == arg:
            return (self.resolve(arg),)
        return tuple(dict.fromkeys(self.resolve(member) for member in split_types(members)))

    def names(self) -> list[str]:
        """Every name a type can be typed as, for completion: plurals, singulars, short names."""
        seen: dict[str, None] = {}
        for r in self.resources:
            for name in (r.plural, r.singular, *r.short_names):
                seen.setdefault(name, None)
        return list(seen)

    def categories(self) -> list[str]:
        return list(dict.fromkeys(c for r in self.resources for c in r.categories))
