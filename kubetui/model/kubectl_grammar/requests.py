"""What a command line asks for: one frozen dataclass per command, plain values only.

Every request carries `namespace` (None: the context's own) and `context` (None: the current
one) from `-n`/`--context`. `changes_cluster` says whether running it may write to the cluster;
`readonly_refusal` turns that into the one line `--readonly` answers with. Key decisions: a
dry run (`--dry-run=client|server`) writes nothing, so read-only mode lets it through; exec,
port-forward and edit count as changes (a shell can change anything, a forwarded port reaches
whatever the pod serves, and RBAC grants both as `create`; an edit ends in a write); the config
commands (which touch the local kubeconfig, not the cluster) do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from kubetui.model.kubectl_grammar.resources import Target
from kubetui.model.resource_names import ApiResource


@dataclass(frozen=True, kw_only=True)
class Request:
    command: ClassVar[str] = ""
    namespace: str | None = None
    context: str | None = None

    @property
    def changes_cluster(self) -> bool:
        return False


@dataclass(frozen=True, kw_only=True)
class _Targets(Request):
    targets: tuple[Target, ...] = ()

    @property
    def types(self) -> tuple[ApiResource, ...]:
        return tuple(dict.fromkeys(t.resource for t in self.targets))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.name for t in self.targets if t.name is not None))


@dataclass(frozen=True, kw_only=True)
class _Writes(Request):
    dry_run: str = "none"  # none, client or server

    @property
    def changes_cluster(self) -> bool:
        return self.dry_run == "none"


@dataclass(frozen=True, kw_only=True)
class ViewRequest(Request):
    """A bare resource (`:deploy`, `:pods -A`): switch the view to that type, as in k9s."""
    command: ClassVar[str] = "view"
    resource: ApiResource
    all_namespaces: bool = False
    selector: str | None = None


@dataclass(frozen=True, kw_only=True)
class GetRequest(_Targets):
    command: ClassVar[str] = "get"
    all_namespaces: bool = False
    selector: str | None = None
    field_selector: str | None = None
    output: str | None = None  # None (table), wide, yaml, json or name
    watch: bool = False


@dataclass(frozen=True, kw_only=True)
class DescribeRequest(_Targets):
    command: ClassVar[str] = "describe"
    all_namespaces: bool = False
    selector: str | None = None


@dataclass(frozen=True, kw_only=True)
class LogsRequest(Request):
    """Logs of a pod, of a workload's pod (`deploy/x`), or of the pods a selector picks."""
    command: ClassVar[str] = "logs"
    target: Target | None = None
    container: str | None = None  # None: the default container, as kubectl picks it
    selector: str | None = None
    follow: bool = False
    previous: bool = False
    tail: int | None = None       # None: all lines (kubectl's -1)
    since_seconds: int | None = None  # whole seconds, as kubectl sends them
    timestamps: bool = False
    all_containers: bool = False
    prefix: bool = False


@dataclass(frozen=True, kw_only=True)
class ExecRequest(Request):
    command: ClassVar[str] = "exec"
    target: Target
    argv: tuple[str, ...]
    container: str | None = None  # None: the default container, as kubectl picks it
    stdin: bool = False
    tty: bool = False

    @property
    def changes_cluster(self) -> bool:
        return True


@dataclass(frozen=True, kw_only=True)
class ApplyRequest(_Writes):
    command: ClassVar[str] = "apply"
    filenames: tuple[str, ...]     # as typed: files, directories or "-" (the caller reads them)
    recursive: bool = False
    server_side: bool = False
    force_conflicts: bool = False


@dataclass(frozen=True, kw_only=True)
class DeleteRequest(_Targets, _Writes):
    command: ClassVar[str] = "delete"
    filenames: tuple[str, ...] = ()
    recursive: bool = False
    selector: str | None = None
    all: bool = False
    all_namespaces: bool = False
    grace_period: int | None = None  # None: the object's own
    force: bool = False
    ignore_not_found: bool = False


@dataclass(frozen=True, kw_only=True)
class ScaleRequest(_Targets, _Writes):
    command: ClassVar[str] = "scale"
    replicas: int
    current_replicas: int | None = None
    selector: str | None = None
    all: bool = False


@dataclass(frozen=True, kw_only=True)
class RolloutRequest(_Targets, _Writes):
    """`rollout status|restart|undo|history`: `action` says which."""
    command: ClassVar[str] = "rollout"
    action: str
    selector: str | None = None
    revision: int | None = None     # status and history
    to_revision: int | None = None  # undo (None: the previous one)
    watch: bool = True              # status
    timeout_seconds: float | None = None

    @property
    def changes_cluster(self) -> bool:
        return self.action in ("restart", "undo") and self.dry_run == "none"


@dataclass(frozen=True)
class MetadataChange:
    key: str
    value: str | None  # None: remove the key (`key-`)


@dataclass(frozen=True, kw_only=True)
class _MetadataRequest(_Targets, _Writes):
    changes: tuple[MetadataChange, ...]
    overwrite: bool = False
    all: bool = False
    selector: str | None = None


@dataclass(frozen=True, kw_only=True)
class LabelRequest(_MetadataRequest):
    command: ClassVar[str] = "label"


@dataclass(frozen=True, kw_only=True)
class AnnotateRequest(_MetadataRequest):
    command: ClassVar[str] = "annotate"


@dataclass(frozen=True, kw_only=True)
class CreateNamespaceRequest(_Writes):
    command: ClassVar[str] = "create namespace"
    name: str


@dataclass(frozen=True, kw_only=True)
class EditRequest(_Targets):
    command: ClassVar[str] = "edit"

    @property
    def changes_cluster(self) -> bool:
        return True


PORT_FORWARD_READONLY = ('"port-forward" opens a way into the pod (RBAC grants it as create on pods/portforward, '
                         "like exec), and kubetui runs with --readonly: nothing was forwarded")


@dataclass(frozen=True)
class PortMapping:
    local: int | None  # 0: any free port (`:80`); None: the named remote port's number (`http`)
    remote: str        # a port number or a named container port


@dataclass(frozen=True, kw_only=True)
class PortForwardRequest(Request):
    command: ClassVar[str] = "port-forward"
    target: Target
    ports: tuple[PortMapping, ...]
    addresses: tuple[str, ...] = ("localhost",)

    @property
    def changes_cluster(self) -> bool:
        return True  # `create pods/portforward`, as exec is `create pods/exec`


@dataclass(frozen=True, kw_only=True)
class UseContextRequest(Request):
    command: ClassVar[str] = "config use-context"
    name: str


@dataclass(frozen=True, kw_only=True)
class SetContextNamespaceRequest(Request):
    """`config set-context --current --namespace=NS` (or a named context instead of --current)."""
    command: ClassVar[str] = "config set-context"
    context_name: str | None  # None: the current context
    new_namespace: str


@dataclass(frozen=True, kw_only=True)
class ApiResourcesRequest(Request):
    command: ClassVar[str] = "api-resources"
    namespaced: bool | None = None
    api_group: str | None = None
    verbs: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    output: str | None = None  # None, wide or name
    sort_by: str | None = None  # name or kind
    no_headers: bool = False


@dataclass(frozen=True, kw_only=True)
class ExplainRequest(Request):
    command: ClassVar[str] = "explain"
    resource: ApiResource
    field_path: tuple[str, ...] = ()  # pods.spec.containers -> ("spec", "containers")
    recursive: bool = False
    api_version: str | None = None


@dataclass(frozen=True, kw_only=True)
class VersionRequest(Request):
    command: ClassVar[str] = "version"
    client_only: bool = False
    output: str | None = None  # None, yaml or json


@dataclass(frozen=True, kw_only=True)
class ClusterInfoRequest(Request):
    command: ClassVar[str] = "cluster-info"


def readonly_refusal(request: Request) -> str | None:
    """The line read-only mode answers a changing request with (None: it may run)."""
    if not request.changes_cluster:
        return None
    if isinstance(request, PortForwardRequest):
        return PORT_FORWARD_READONLY
    name = f"rollout {request.action}" if isinstance(request, RolloutRequest) else request.command
    return f'"{name}" changes the cluster, and kubetui runs with --readonly: nothing was sent'
