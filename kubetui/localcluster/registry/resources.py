"""The registry of resource types the local API server serves.

Key decision: everything kind-specific (discovery data, defaulting, server-side printing, delete
behaviour, supported field selectors) hangs off one `ResourceType` entry, so adding a kind is one
`register()` call. Plurals are unique across groups here (the store is keyed by plural).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from kubetui.localcluster.registry import defaults, printers, printers_batch, printers_network
from kubetui.localcluster.registry.printing import Printer

STANDARD_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
READ_VERBS = frozenset({"get", "list", "watch"})
COMMON_FIELD_LABELS = ("metadata.name", "metadata.namespace")


@dataclass(frozen=True)
class Subresource:
    name: str
    kind: str
    verbs: tuple[str, ...]
    # RBAC verb used whatever the HTTP method: exec/attach are "create" even over a GET upgrade.
    auth_verb: str | None = None
    # Set when the subresource's kind lives in another API group, e.g. deployments/scale is
    # autoscaling/v1 Scale; discovery lists it and kubectl scale relies on it.
    group: str = ""
    version: str = ""


@dataclass(frozen=True)
class ResourceType:
    group: str
    version: str
    plural: str
    singular: str
    kind: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = STANDARD_VERBS
    subresources: tuple[Subresource, ...] = ()
    has_generation: bool = False          # metadata.generation, bumped when spec changes
    resets_status_on_create: bool = False  # status written by clients on create is dropped
    graceful_delete: bool = False          # pods: deletionTimestamp first, removal later
    return_deleted_object: bool = False    # DELETE answers the object instead of a Status
    field_labels: tuple[str, ...] = COMMON_FIELD_LABELS
    defaulter: Callable[[dict], None] | None = None
    # The strategy's PrepareForCreate, once uid and creationTimestamp are set (Job selectors).
    prepare_create: Callable[[dict], None] | None = None
    printer: Printer = printers.DEFAULT
    proto_name: str = ""                   # OpenAPI schema name, e.g. io.k8s.api.core.v1.Pod
    warning: str = ""                      # sent as a `Warning: 299` header (deprecated APIs)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_version(self) -> str:
        return self.api_version

    @property
    def list_kind(self) -> str:
        return self.kind + "List"

    @property
    def has_status(self) -> bool:
        return self.subresource("status") is not None

    def subresource(self, name: str) -> Subresource | None:
        return next((sub for sub in self.subresources if sub.name == name), None)


@dataclass
class ResourceRegistry:
    by_plural: dict[str, ResourceType] = field(default_factory=dict)

    def register(self, resource: ResourceType) -> ResourceType:
        self.by_plural[resource.plural] = resource
        return resource

    def __iter__(self):
        return iter(self.by_plural.values())

    def get(self, plural: str) -> ResourceType | None:
        return self.by_plural.get(plural)

    def require(self, plural: str) -> ResourceType:
        resource = self.by_plural.get(plural)
        if resource is None:
            raise KeyError(f"unknown resource type {plural!r}")
        return resource

    def lookup(self, group: str, version: str, plural: str) -> ResourceType | None:
        resource = self.by_plural.get(plural)
        if resource is None or resource.group != group or resource.version != version:
            return None
        return resource

    def group_versions(self) -> dict[str, list[str]]:
        """group → versions, core ("") included, in registration order."""
        found: dict[str, list[str]] = {}
        for resource in self:
            versions = found.setdefault(resource.group, [])
            if resource.version not in versions:
                versions.append(resource.version)
        return found

    def in_group_version(self, group: str, version: str) -> Iterable[ResourceType]:
        return [r for r in self if r.group == group and r.version == version]


STATUS = Subresource("status", "", ("get", "patch", "update"))


def _with_status(kind: str) -> Subresource:
    return Subresource("status", kind, STATUS.verbs)


POD_FIELD_LABELS = COMMON_FIELD_LABELS + (
    "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
    "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
    "status.nominatedNodeName",
)
EVENT_FIELD_LABELS = COMMON_FIELD_LABELS + (
    "involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
    "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
    "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
)


SECRET_FIELD_LABELS = COMMON_FIELD_LABELS + ("type",)
JOB_FIELD_LABELS = COMMON_FIELD_LABELS + ("status.successful",)


def default_registry() -> ResourceRegistry:
    """A fresh registry with the built-in kinds (each cluster gets its own, so helpers may add)."""
    registry = ResourceRegistry()
    add = registry.register
    add(ResourceType(
        "", "v1", "namespaces", "namespace", "Namespace", namespaced=False,
        short_names=("ns",), verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
        subresources=(_with_status("Namespace"), Subresource("finalize", "Namespace", ("update",))),
        resets_status_on_create=True, defaulter=defaults.default_namespace,
        printer=printers.NAMESPACE, proto_name="io.k8s.api.core.v1.Namespace",
    ))
    add(ResourceType(
        "", "v1", "nodes", "node", "Node", namespaced=False, short_names=("no",),
        subresources=(_with_status("Node"),), has_generation=False,
        printer=printers.NODE, proto_name="io.k8s.api.core.v1.Node",
        field_labels=("metadata.name", "spec.unschedulable"),
    ))
    add(ResourceType(
        "", "v1", "pods", "pod", "Pod", namespaced=True, short_names=("po",),
        categories=("all",),
        subresources=(
            _with_status("Pod"),
            Subresource("log", "Pod", ("get",)),
            Subresource("exec", "PodExecOptions", ("create", "get"), auth_verb="create"),
            Subresource("attach", "PodAttachOptions", ("create", "get"), auth_verb="create"),
            Subresource("portforward", "PodPortForwardOptions", ("create", "get"), auth_verb="create"),
            Subresource("binding", "Binding", ("create",)),
            Subresource("ephemeralcontainers", "Pod", ("get", "patch", "update")),
            Subresource("eviction", "Eviction", ("create",), group="policy", version="v1"),
        ),
        has_generation=True, resets_status_on_create=True, graceful_delete=True,
        return_deleted_object=True, field_labels=POD_FIELD_LABELS,
        defaulter=defaults.default_pod, printer=printers.POD,
        proto_name="io.k8s.api.core.v1.Pod",
    ))
    add(ResourceType(
        "", "v1", "events", "event", "Event", namespaced=True, short_names=("ev",),
        field_labels=EVENT_FIELD_LABELS, defaulter=defaults.default_event,
        printer=printers.EVENT, proto_name="io.k8s.api.core.v1.Event",
    ))
    add(ResourceType(
        "", "v1", "configmaps", "configmap", "ConfigMap", namespaced=True, short_names=("cm",),
        printer=printers.CONFIGMAP, proto_name="io.k8s.api.core.v1.ConfigMap",
    ))
    add(ResourceType(
        "", "v1", "services", "service", "Service", namespaced=True, short_names=("svc",),
        categories=("all",), subresources=(_with_status("Service"),),
        resets_status_on_create=True, return_deleted_object=True,
        defaulter=defaults.default_service, printer=printers_network.SERVICE,
        proto_name="io.k8s.api.core.v1.Service",
    ))
    add(ResourceType(  # apps/v1 lists its resources alphabetically, as the real one does
        "apps", "v1", "daemonsets", "daemonset", "DaemonSet", namespaced=True,
        short_names=("ds",), categories=("all",), subresources=(_with_status("DaemonSet"),),
        has_generation=True, resets_status_on_create=True,
        defaulter=defaults.default_daemonset, printer=printers.DAEMONSET,
        proto_name="io.k8s.api.apps.v1.DaemonSet",
    ))
    add(ResourceType(
        "apps", "v1", "deployments", "deployment", "Deployment", namespaced=True,
        short_names=("deploy",), categories=("all",),
        subresources=(_with_status("Deployment"),),
        has_generation=True, resets_status_on_create=True,
        defaulter=defaults.default_deployment, printer=printers.DEPLOYMENT,
        proto_name="io.k8s.api.apps.v1.Deployment",
    ))
    add(ResourceType(
        "apps", "v1", "replicasets", "replicaset", "ReplicaSet", namespaced=True,
        short_names=("rs",), categories=("all",),
        subresources=(_with_status("ReplicaSet"),),
        has_generation=True, resets_status_on_create=True,
        defaulter=defaults.default_replicaset, printer=printers.REPLICASET,
        proto_name="io.k8s.api.apps.v1.ReplicaSet",
    ))
    _register_more_kinds(add)
    for group, plural, kind in (
            ("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview"),
            ("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview"),
            ("authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview")):
        add(ResourceType(group, "v1", plural, plural[:-1], kind, namespaced=False, verbs=("create",),
                         proto_name=f"io.k8s.api.{group.split('.')[0]}.v1.{kind}"))
    return registry


def _register_more_kinds(add: Callable[[ResourceType], ResourceType]) -> None:
    """Secrets, service accounts, endpoints, cron jobs and jobs (in that order, as kube-apiserver
    lists batch/v1, so `kubectl get all` shows cron jobs first), leases and endpoint slices."""
    add(ResourceType(
        "", "v1", "secrets", "secret", "Secret", namespaced=True, field_labels=SECRET_FIELD_LABELS,
        defaulter=defaults.default_secret, printer=printers.SECRET, proto_name="io.k8s.api.core.v1.Secret",
    ))
    add(ResourceType(
        "", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", namespaced=True,
        short_names=("sa",), printer=printers.SERVICE_ACCOUNT,
        proto_name="io.k8s.api.core.v1.ServiceAccount",
    ))
    add(ResourceType(
        "", "v1", "endpoints", "endpoints", "Endpoints", namespaced=True, short_names=("ep",),
        defaulter=defaults.default_endpoints, printer=printers_network.ENDPOINTS,
        proto_name="io.k8s.api.core.v1.Endpoints",
        warning="v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice",
    ))
    add(ResourceType(
        "batch", "v1", "cronjobs", "cronjob", "CronJob", namespaced=True, short_names=("cj",),
        categories=("all",), subresources=(_with_status("CronJob"),), has_generation=True,
        resets_status_on_create=True, defaulter=defaults.default_cronjob,
        printer=printers_batch.CRONJOB, proto_name="io.k8s.api.batch.v1.CronJob",
    ))
    add(ResourceType(
        "batch", "v1", "jobs", "job", "Job", namespaced=True, categories=("all",),
        subresources=(_with_status("Job"),), has_generation=True, resets_status_on_create=True,
        field_labels=JOB_FIELD_LABELS, defaulter=defaults.default_job,
        prepare_create=defaults.generate_job_selector, printer=printers_batch.JOB,
        proto_name="io.k8s.api.batch.v1.Job",
    ))
    add(ResourceType(
        "coordination.k8s.io", "v1", "leases", "lease", "Lease", namespaced=True,
        printer=printers.LEASE, proto_name="io.k8s.api.coordination.v1.Lease",
    ))
    add(ResourceType(
        "discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", namespaced=True,
        defaulter=defaults.default_endpoint_slice, printer=printers_network.ENDPOINT_SLICE,
        proto_name="io.k8s.api.discovery.v1.EndpointSlice",
    ))


def strip_kind(obj: dict[str, Any]) -> None:
    """Drop kind/apiVersion (list items from the real server omit them)."""
    obj.pop("kind", None)
    obj.pop("apiVersion", None)
