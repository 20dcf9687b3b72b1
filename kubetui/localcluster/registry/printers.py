"""Server-side printing: the columns and cells kube-apiserver's printers produce per kind
(pods, workloads, nodes, events and the simple kinds; services and endpoints are in
printers_network.py, Jobs and CronJobs in printers_batch.py).

Key decision: a printer is a pure function of `(object, now)`, and pods use `kubetui.model`'s
`pod_row`, the same function the TUI renders with, so `kubectl get pods` and kubetui agree.
Cells keep the real server's types (integers stay integers). Priority-1 columns are the ones
kubectl shows only with `-o wide`.
"""

from __future__ import annotations

from datetime import datetime

from kubetui.localcluster.apimachinery.clock import parse_rfc3339
from kubetui.localcluster.registry.printing import (
    AGE,
    NAME,
    NAME_DOC,
    Column,
    Printer,
    age_of,
    format_labels,
    meta_of,
    since,
    spec_of,
    status_of,
)
from kubetui.model import pod_row
from kubetui.model.label_selectors import format_label_selector


def _containers_and_images(template_spec: dict) -> list[str]:
    containers = template_spec.get("containers") or []
    return [",".join(str(c.get("name", "")) for c in containers),
            ",".join(str(c.get("image", "")) for c in containers)]


def _pod_cells(pod: dict, now: datetime) -> list:
    row = pod_row(pod, now)
    return [row.name, row.ready, row.status, row.restarts, row.age,
            row.ip, row.node, row.nominated_node, row.readiness_gates]


POD = Printer((
    NAME,
    Column("Ready", description="The aggregate readiness state of this pod for accepting traffic."),
    Column("Status", description="The aggregate status of the containers in this pod."),
    Column("Restarts", description="The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
    AGE,
    Column("IP", priority=1, description="podIP address allocated to the pod."),
    Column("Node", priority=1, description="NodeName indicates in which node this pod is scheduled."),
    Column("Nominated Node", priority=1, description="nominatedNodeName is set only when this pod preempts other pods on the node."),
    Column("Readiness Gates", priority=1, description="If specified, all readiness gates will be evaluated for pod readiness."),
), _pod_cells)


def _workload_tail(obj: dict) -> list[str]:
    spec = spec_of(obj)
    template_spec = (spec.get("template") or {}).get("spec") or {}
    return _containers_and_images(template_spec) + [format_label_selector(spec.get("selector"))]


_WORKLOAD_WIDE = (
    Column("Containers", priority=1, description="Names of each container in the template."),
    Column("Images", priority=1, description="Images referenced by each container in the template."),
    Column("Selector", priority=1, description="Label selector for pods."),
)

DEPLOYMENT = Printer((
    NAME,
    Column("Ready", description="Number of the pod with ready state"),
    Column("Up-to-date", "integer", description="Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
    Column("Available", "integer", description="Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
    AGE, *_WORKLOAD_WIDE,
), lambda d, now: [
    meta_of(d).get("name", ""),
    f"{status_of(d).get('readyReplicas', 0)}/{spec_of(d).get('replicas', 0)}",
    status_of(d).get("updatedReplicas", 0), status_of(d).get("availableReplicas", 0),
    age_of(d, now), *_workload_tail(d),
])

REPLICASET = Printer((
    NAME,
    Column("Desired", "integer", description="Replicas is the number of desired replicas."),
    Column("Current", "integer", description="Replicas is the most recently observed number of replicas."),
    Column("Ready", "integer", description="readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition."),
    AGE, *_WORKLOAD_WIDE,
), lambda rs, now: [
    meta_of(rs).get("name", ""), spec_of(rs).get("replicas", 0), status_of(rs).get("replicas", 0),
    status_of(rs).get("readyReplicas", 0), age_of(rs, now), *_workload_tail(rs),
])

DAEMONSET = Printer((
    NAME,
    Column("Desired", "integer", description="The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
    Column("Current", "integer", description="The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
    Column("Ready", "integer", description="numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
    Column("Up-to-date", "integer", description="The total number of nodes that are running updated daemon pod"),
    Column("Available", "integer", description="The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
    Column("Node Selector", description="NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
    AGE, *_WORKLOAD_WIDE,
), lambda ds, now: [
    meta_of(ds).get("name", ""), status_of(ds).get("desiredNumberScheduled", 0),
    status_of(ds).get("currentNumberScheduled", 0), status_of(ds).get("numberReady", 0),
    status_of(ds).get("updatedNumberScheduled", 0), status_of(ds).get("numberAvailable", 0),
    format_labels(((spec_of(ds).get("template") or {}).get("spec") or {}).get("nodeSelector")),
    age_of(ds, now), *_workload_tail(ds),
])


def _node_status(node: dict) -> str:
    status = "Unknown"
    for condition in status_of(node).get("conditions") or []:
        if condition.get("type") == "Ready":
            status = "Ready" if condition.get("status") == "True" else "NotReady"
    if spec_of(node).get("unschedulable"):
        status += ",SchedulingDisabled"
    return status


def _node_roles(node: dict) -> str:
    roles = set()
    for key, value in (meta_of(node).get("labels") or {}).items():
        if key.startswith("node-role.kubernetes.io/") and key != "node-role.kubernetes.io/":
            roles.add(key.split("/", 1)[1])
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return ",".join(sorted(roles)) or "<none>"


def _node_address(node: dict, kind: str) -> str:
    for address in status_of(node).get("addresses") or []:
        if address.get("type") == kind:
            return address.get("address", "<none>")
    return "<none>"


def _node_cells(node: dict, now: datetime) -> list:
    info = status_of(node).get("nodeInfo") or {}
    return [
        meta_of(node).get("name", ""), _node_status(node), _node_roles(node), age_of(node, now),
        info.get("kubeletVersion", ""), _node_address(node, "InternalIP"),
        _node_address(node, "ExternalIP"), info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>", info.get("containerRuntimeVersion") or "<unknown>",
    ]


NODE = Printer((
    NAME,
    Column("Status", description="The status of the node"),
    Column("Roles", description="The roles of the node"),
    AGE,
    Column("Version", description="Kubelet Version reported by the node."),
    Column("Internal-IP", priority=1, description="List of internal IPs."),
    Column("External-IP", priority=1, description="List of external IPs."),
    Column("OS-Image", priority=1, description="OS Image reported by the node from /etc/os-release."),
    Column("Kernel-Version", priority=1, description="Kernel Version reported by the node."),
    Column("Container-Runtime", priority=1, description="Container Runtime Version reported by the node."),
), _node_cells)


def _event_cells(event: dict, now: datetime) -> list:
    first = since(event.get("firstTimestamp"), now)
    if parse_rfc3339(event.get("firstTimestamp")) is None:
        first = since(event.get("eventTime"), now)
    last = since(event.get("lastTimestamp"), now)
    if parse_rfc3339(event.get("lastTimestamp")) is None:
        last = first
    count = event.get("count") or 1
    series = event.get("series")
    if isinstance(series, dict):
        last, count = since(series.get("lastObservedTime"), now), series.get("count", count)
    involved = event.get("involvedObject") or {}
    kind = str(involved.get("kind", "")).lower()
    target = f"{kind}/{involved['name']}" if involved.get("name") else kind
    source = event.get("source") or {}
    source_text = source.get("component") or event.get("reportingController") or ""
    host = source.get("host") or event.get("reportingInstance") or ""
    if host:
        source_text = f"{source_text}, {host}"
    return [last, event.get("type", ""), event.get("reason", ""), target,
            involved.get("fieldPath", ""), source_text, str(event.get("message", "")).strip(),
            first, count, meta_of(event).get("name", "")]


EVENT = Printer((
    Column("Last Seen", description="Time when last occurrence of this event was observed."),
    Column("Type", description="Type of this event (Normal, Warning)."),
    Column("Reason", description="Short, machine understandable string that gives the reason for the transition into the object's current status."),
    Column("Object", description="The object that this event is about."),
    Column("Subobject", priority=1, description="The object field the event is about."),
    Column("Source", priority=1, description="The component reporting this event."),
    Column("Message", description="A human-readable description of the status of this operation."),
    Column("First Seen", priority=1, description="The time at which the event was first recorded."),
    Column("Count", "integer", priority=1, description="The number of times this event has occurred."),
    Column("Name", priority=1, format="name", description=NAME_DOC),
), _event_cells)


NAMESPACE = Printer((
    NAME,
    Column("Status", description="The status of the namespace"),
    AGE,
), lambda ns, now: [meta_of(ns).get("name", ""), status_of(ns).get("phase", ""), age_of(ns, now)])

CONFIGMAP = Printer((
    NAME,
    Column("Data", "integer", description="Number of user provided data items in the config map"),
    AGE,
), lambda cm, now: [meta_of(cm).get("name", ""),
                    len(cm.get("data") or {}) + len(cm.get("binaryData") or {}), age_of(cm, now)])

DEFAULT = Printer((NAME, AGE), lambda obj, now: [meta_of(obj).get("name", ""), age_of(obj, now)])

SECRET = Printer((
    NAME,
    Column("Type", description="Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
    Column("Data", description="Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
    AGE,
), lambda secret, now: [meta_of(secret).get("name", ""), secret.get("type", ""),
                        len(secret.get("data") or {}), age_of(secret, now)])

SERVICE_ACCOUNT = Printer((
    NAME,
    Column("Secrets", description="Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret"),
    AGE,
), lambda account, now: [meta_of(account).get("name", ""), len(account.get("secrets") or []),
                         age_of(account, now)])

LEASE = Printer((
    NAME,
    Column("Holder", description="holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field."),
    AGE,
), lambda lease, now: [meta_of(lease).get("name", ""), spec_of(lease).get("holderIdentity") or "",
                       age_of(lease, now)])
