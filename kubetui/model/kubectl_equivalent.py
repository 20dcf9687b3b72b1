"""The kubectl command an action done with keys corresponds to: a typed request in, one line out.

The requests are the command line's own (`kubectl_grammar`), plus `EventsRequest` for
`kubectl events --for`, which that grammar does not read; the builders below make them from
what the views hold (an `ApiResource`, a namespace, a name). `command_line(request, where)`
writes the words kubectl's own docs write (`exec -it POD -c C -- CMD`, `logs -f POD -c C
--tail=1000`, `scale deployment/web --replicas=5`), quoted for a POSIX shell, so the grammar
reads the line back as the same request.

Key decisions: a line names only what kubectl would not use anyway: `-n NS` when NS is not the
namespace of kubectl's context, `--context` when kubetui's context is not the kubeconfig's
current one. It never names the kubeconfig: the line assumes kubectl reads the one kubetui
read, as it does when kubetui was started without `--kubeconfig`. Lists name the type in the
plural (`get pods`), one object in the singular (`delete pod web`); the group is added only
where the bare name could mean another type (custom resources, `events.k8s.io`).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Protocol, cast

from kubetui.model.kubectl_grammar import (
    ApplyRequest, DeleteRequest, DescribeRequest, ExecRequest, GetRequest, LogsRequest, PortForwardRequest,
    PortMapping, Request, RolloutRequest, ScaleRequest, SetContextNamespaceRequest, Target, UseContextRequest,
    ViewRequest,
)
from kubetui.model.resource_names import ApiResource

__all__ = ["EventsRequest", "POD", "Where", "apply", "command_line", "delete", "delete_files", "describe",
           "events_for", "exec_in", "get_list", "get_yaml", "has_line", "logs_of", "port_forward", "rollout", "scale",
           "type_word", "use_context", "words"]


@dataclass(frozen=True)
class Where:
    """What kubectl uses when a command names neither: its context's namespace, and kubetui's
    context when kubectl's current one is another (None: the same)."""

    namespace: str = "default"
    context: str | None = None


@dataclass(frozen=True, kw_only=True)
class EventsRequest(Request):
    """`kubectl events --for TYPE/NAME`: one object's events (every namespace's, with -A)."""
    command: ClassVar[str] = "events"
    target: Target
    all_namespaces: bool = False


class _Resource(Protocol):
    """What a line needs of a type: the views' `ApiResource`, or whatever the grammar resolved."""

    @property
    def group(self) -> str: ...
    @property
    def plural(self) -> str: ...
    @property
    def singular(self) -> str: ...
    @property
    def namespaced(self) -> bool: ...


POD = ApiResource("", "v1", "pods", "pod", "Pod", namespaced=True, short_names=("po",))

# The core group's plurals: a type of another group with one of these names needs its group
# (`pods.metrics.k8s.io`, `events.events.k8s.io`), since kubectl reads the bare name as core's.
_CORE_PLURALS = frozenset((
    "bindings", "componentstatuses", "configmaps", "endpoints", "events", "limitranges", "namespaces", "nodes",
    "persistentvolumeclaims", "persistentvolumes", "pods", "podtemplates", "replicationcontrollers",
    "resourcequotas", "secrets", "serviceaccounts", "services",
))


def _target(resource: ApiResource, name: str | None = None) -> Target:
    # the grammar's Target reads only what every resource type has (`_Resource`)
    return Target(cast(Any, resource), name)


# -- requests from what the views hold --------------------------------------------------------------
def get_list(resource: ApiResource, namespace: str | None, *, selector: str | None = None,
             field_selector: str | None = None, wide: bool = False) -> GetRequest:
    """What a view lists: `namespace` None is every namespace (`-A`) for a namespaced type."""
    return GetRequest(targets=(_target(resource),), all_namespaces=resource.namespaced and namespace is None,
                      namespace=_namespace(resource, namespace), selector=selector or None,
                      field_selector=field_selector or None, output="wide" if wide else None)


def get_yaml(resource: ApiResource, namespace: str | None, name: str) -> GetRequest:
    return GetRequest(targets=(_target(resource, name),), namespace=_namespace(resource, namespace), output="yaml")


def describe(resource: ApiResource, namespace: str | None, name: str) -> DescribeRequest:
    return DescribeRequest(targets=(_target(resource, name),), namespace=_namespace(resource, namespace))


def events_for(resource: ApiResource, namespace: str | None, name: str) -> EventsRequest:
    """A cluster-scoped object's events may be in any namespace: `-A`."""
    return EventsRequest(target=_target(resource, name), namespace=_namespace(resource, namespace),
                         all_namespaces=not resource.namespaced)


def delete(resource: ApiResource, namespace: str | None, name: str, *, kill: bool = False) -> DeleteRequest:
    """kill: at once, skipping the grace period (`--grace-period=0 --force`)."""
    return DeleteRequest(targets=(_target(resource, name),), namespace=_namespace(resource, namespace),
                         grace_period=0 if kill else None, force=kill)


def scale(resource: ApiResource, namespace: str | None, name: str, replicas: int) -> ScaleRequest:
    return ScaleRequest(targets=(_target(resource, name),), namespace=_namespace(resource, namespace), replicas=replicas)


def rollout(action: str, resource: ApiResource, namespace: str | None, name: str) -> RolloutRequest:
    return RolloutRequest(action=action, targets=(_target(resource, name),), namespace=_namespace(resource, namespace))


def exec_in(namespace: str, pod: str, container: str, argv: tuple[str, ...], *, tty: bool,
            stdin: bool) -> ExecRequest:
    return ExecRequest(target=_target(POD, pod), argv=tuple(argv), container=container, stdin=stdin, tty=tty,
                       namespace=namespace)


def port_forward(namespace: str, pod: str, local: int, remote: int) -> PortForwardRequest:
    return PortForwardRequest(target=_target(POD, pod), ports=(PortMapping(local, str(remote)),), namespace=namespace)


def logs_of(namespace: str, *, pod: str | None = None, selector: str | None = None, container: str | None = None,
            all_containers: bool = False, follow: bool = False, previous: bool = False, timestamps: bool = False,
            tail: int | None = None, since_seconds: int | None = None) -> LogsRequest:
    """One pod's logs, or those of every pod ``selector`` matches; lines from several containers
    are prefixed with their pod and container, as kubetui shows them (`--prefix`)."""
    return LogsRequest(target=_target(POD, pod) if pod is not None else None, selector=selector,
                       container=None if all_containers else container, all_containers=all_containers,
                       follow=follow, previous=previous, timestamps=timestamps, tail=tail,
                       since_seconds=since_seconds, prefix=selector is not None or all_containers,
                       namespace=namespace)


def apply(filename: str, namespace: str, *, force_conflicts: bool = False, dry_run: bool = False) -> ApplyRequest:
    """kubetui applies server-side; a plan is a server dry run."""
    return ApplyRequest(filenames=(filename,), server_side=True, force_conflicts=force_conflicts,
                        dry_run="server" if dry_run else "none", namespace=namespace)


def delete_files(filename: str, namespace: str) -> DeleteRequest:
    return DeleteRequest(filenames=(filename,), namespace=namespace)


def use_context(name: str) -> UseContextRequest:
    return UseContextRequest(name=name)


def _namespace(resource: ApiResource, namespace: str | None) -> str | None:
    return namespace or None if resource.namespaced else None


# -- the line ----------------------------------------------------------------------------------------
def command_line(request: Request, where: Where = Where()) -> str:
    """`kubectl ...`, quoted for a POSIX shell."""
    return shlex.join(words(request, where))


def has_line(request: Request) -> bool:
    """Whether `words` writes ``request``: the ones keys make, and `:deploy` (a `ViewRequest`)."""
    return type(request) in _WRITERS


def words(request: Request, where: Where = Where()) -> list[str]:
    """The command's argv, `kubectl` first. TypeError for a request kubetui's keys never make."""
    write = _WRITERS.get(type(request))
    if write is None:
        raise TypeError(f"no kubectl line for {type(request).__name__}")
    return ["kubectl", *write(request, where)]


def type_word(resource: _Resource, *, plural: bool) -> str:
    """`pods`, `deployment`, `crontab.stable.example.com`, `events.events.k8s.io`."""
    word = resource.plural if plural else resource.singular
    group = resource.group
    built_in = "." not in group or (group.endswith(".k8s.io") and resource.plural not in _CORE_PLURALS)
    return word if not group or built_in else f"{word}.{group}"


def _targets(targets: tuple[Target, ...], *, tuples: bool = False) -> list[str]:
    """`pods`, `pod web api`, or `deployment/web` (the form scale and rollout are documented with)."""
    resources = list(dict.fromkeys(t.resource for t in targets))
    if all(t.name is None for t in targets):
        return [",".join(type_word(r, plural=True) for r in resources)]
    if len(resources) == 1 and not tuples:
        return [type_word(resources[0], plural=False), *(t.name or "" for t in targets)]
    return [f"{type_word(t.resource, plural=False)}/{t.name}" for t in targets]


def _scope(request: Request, where: Where, *, namespaced: bool, all_namespaces: bool = False) -> list[str]:
    found: list[str] = []
    if all_namespaces:
        found.append("-A")
    elif namespaced and request.namespace and request.namespace != where.namespace:
        found += ["-n", request.namespace]
    context = request.context or where.context
    if context:
        found += ["--context", context]
    return found


def _any_namespaced(targets: tuple[Target, ...]) -> bool:
    return any(t.resource.namespaced for t in targets)


def _dry_run(mode: str) -> list[str]:
    return [] if mode == "none" else [f"--dry-run={mode}"]


def _duration(seconds: int) -> str:
    """kubectl's `--since` spelling: `1h`, `5m`, `90s`."""
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _get(request: GetRequest, where: Where) -> list[str]:
    found = ["get", *_targets(request.targets),
             *_scope(request, where, namespaced=_any_namespaced(request.targets),
                     all_namespaces=request.all_namespaces)]
    if request.selector:
        found += ["-l", request.selector]
    if request.field_selector:
        found.append(f"--field-selector={request.field_selector}")
    if request.output:
        found += ["-o", request.output]
    if request.watch:
        found.append("-w")
    return found


def _view(request: ViewRequest, where: Where) -> list[str]:
    """`:deploy` switches the view: what it shows is what `get` lists."""
    return _get(GetRequest(targets=(Target(request.resource),), all_namespaces=request.all_namespaces,
                           selector=request.selector, namespace=request.namespace, context=request.context), where)


def _describe(request: DescribeRequest, where: Where) -> list[str]:
    found = ["describe", *_targets(request.targets),
             *_scope(request, where, namespaced=_any_namespaced(request.targets),
                     all_namespaces=request.all_namespaces)]
    return found + (["-l", request.selector] if request.selector else [])


def _events(request: EventsRequest, where: Where) -> list[str]:
    target = request.target
    return ["events", "--for", f"{type_word(target.resource, plural=False)}/{target.name}",
            *_scope(request, where, namespaced=True, all_namespaces=request.all_namespaces)]


def _delete(request: DeleteRequest, where: Where) -> list[str]:
    found = ["delete", *_targets(request.targets)] if request.targets else ["delete"]
    for filename in request.filenames:
        found += ["-f", filename]
    namespaced = _any_namespaced(request.targets) or bool(request.filenames)
    found += _scope(request, where, namespaced=namespaced, all_namespaces=request.all_namespaces)
    if request.selector:
        found += ["-l", request.selector]
    if request.all:
        found.append("--all")
    if request.grace_period is not None:
        found.append(f"--grace-period={request.grace_period}")
    if request.force:
        found.append("--force")
    return found + _dry_run(request.dry_run)


def _scale(request: ScaleRequest, where: Where) -> list[str]:
    found = ["scale", *_targets(request.targets, tuples=True),
             *_scope(request, where, namespaced=_any_namespaced(request.targets))]
    if request.current_replicas is not None:
        found.append(f"--current-replicas={request.current_replicas}")
    return found + [f"--replicas={request.replicas}", *_dry_run(request.dry_run)]


def _rollout(request: RolloutRequest, where: Where) -> list[str]:
    found = ["rollout", request.action, *_targets(request.targets, tuples=True),
             *_scope(request, where, namespaced=_any_namespaced(request.targets))]
    if request.to_revision is not None:
        found.append(f"--to-revision={request.to_revision}")
    return found + _dry_run(request.dry_run)


def _exec(request: ExecRequest, where: Where) -> list[str]:
    modes = ("i" if request.stdin else "") + ("t" if request.tty else "")
    found = ["exec", *([f"-{modes}"] if modes else []), _pod_arg(request.target)]
    if request.container:
        found += ["-c", request.container]
    return found + _scope(request, where, namespaced=True) + ["--", *request.argv]


def _logs(request: LogsRequest, where: Where) -> list[str]:
    found = ["logs", *(["-f"] if request.follow else []), *(["-p"] if request.previous else [])]
    if request.target is not None:
        found.append(_pod_arg(request.target))
    else:
        found += ["-l", request.selector or ""]
    if request.container:
        found += ["-c", request.container]
    if request.all_containers:
        found.append("--all-containers")
    found += _scope(request, where, namespaced=True)
    if request.prefix:
        found.append("--prefix")
    if request.timestamps:
        found.append("--timestamps")
    if request.since_seconds:
        found.append(f"--since={_duration(request.since_seconds)}")
    if request.tail is not None:
        found.append(f"--tail={request.tail}")
    elif request.selector:
        found.append("--tail=-1")  # every line: with a selector kubectl's default is the last 10
    return found


def _port_forward(request: PortForwardRequest, where: Where) -> list[str]:
    ports = [m.remote if m.local is None or str(m.local) == m.remote else f"{m.local or ''}:{m.remote}"
             for m in request.ports]  # local 0 (any free port) is kubectl's `:80`
    return ["port-forward", _pod_arg(request.target), *ports, *_scope(request, where, namespaced=True)]


def _pod_arg(target: Target) -> str:
    if target.resource.plural == "pods" and not target.resource.group:
        return target.name or ""
    return f"{type_word(target.resource, plural=False)}/{target.name}"


def _apply(request: ApplyRequest, where: Where) -> list[str]:
    found = ["apply", *(["--server-side"] if request.server_side else [])]
    for filename in request.filenames:
        found += ["-f", filename]
    if request.recursive:
        found.append("-R")
    found += _scope(request, where, namespaced=True)
    if request.force_conflicts:
        found.append("--force-conflicts")
    return found + _dry_run(request.dry_run)


def _use_context(request: UseContextRequest, where: Where) -> list[str]:
    return ["config", "use-context", request.name]


def _set_namespace(request: SetContextNamespaceRequest, where: Where) -> list[str]:
    which = request.context_name if request.context_name else "--current"
    return ["config", "set-context", which, f"--namespace={request.new_namespace}"]


_WRITERS: dict[type, Callable] = {
    GetRequest: _get, ViewRequest: _view, DescribeRequest: _describe, EventsRequest: _events,
    DeleteRequest: _delete, ScaleRequest: _scale, RolloutRequest: _rollout, ExecRequest: _exec,
    LogsRequest: _logs, ApplyRequest: _apply, UseContextRequest: _use_context,
    SetContextNamespaceRequest: _set_namespace, PortForwardRequest: _port_forward,
}
