"""Server-side printing: the columns and cells kube-apiserver's printers produce per kind.

Key decision: a printer is a pure function of `(object, now)`, and pods use `kubetui.model`'s
`pod_row`, the same function the TUI renders with, so `kubectl get pods` and kubetui agree.
Cells keep the real server's types (integers stay integers). Priority-1 columns are the ones
kubectl shows only with `-o wide`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from kubetui.localcluster.apimachinery.clock import parse_rfc3339
from kubetui.model import pod_row
from kubetui.model.durations import human_duration
from kubetui.model.label_selectors import format_label_selector

NAME_DOC = "Name must be unique within a namespace. More info: http://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
AGE_DOC = "CreationTimestamp is a timestamp representing the server time when this object was created."


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "string"
    priority: int = 0
    format: str = ""
    description: str = ""

    def definition(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "format": self.format,
                "description": self.description or self.name, "priority": self.priority}


@dataclass(frozen=True)
class Printer:
    columns: tuple[Column, ...]
    cells: Callable[[dict, datetime], list]


NAME = Column("Name", format="name", description=NAME_DOC)
AGE = Column("Age", description=AGE_DOC)


def since(timestamp: object, now: datetime) -> str:
    """translateTimestampSince: "<unknown>" for a missing time, else a human duration."""
    moment = parse_rfc3339(timestamp)
    if moment is None:
        return "<unknown>"
    return human_duration((now - moment).total_seconds())


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _spec(obj: dict) -> dict:
    return obj.get("spec") or {}


def _status(obj: dict) -> dict:
    return obj.get("status") or {}


def _age(obj: dict, now: datetime) -> str:
    return since(_meta(obj).get("creationTimestamp"), now)


def format_labels(labels: object) -> str:
    if not isinstance(labels, dict) or not labels:
        return "<none>"
    return ",".join(f"{key}={labels[key]}" for key in sorted(labels))


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
    spec = _spec(obj)
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
    _meta(d).get("name", ""),
    f"{_status(d).get('readyReplicas', 0)}/{_spec(d).get('replicas', 0)}",
    _status(d).get("updatedReplicas", 0), _status(d).get("availableReplicas", 0),
    _age(d, now), *_workload_tail(d),
])

REPLICASET = Printer((
    NAME,
    Column("Desired", "integer", description="Replicas is the number of desired replicas."),
    Column("Current", "integer", description="Replicas is the most recently observed number of replicas."),
    Column("Ready", "integer", description="readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition."),
    AGE, *_WORKLOAD_WIDE,
), lambda rs, now: [
    _meta(rs).get("name", ""), _spec(rs).get("replicas", 0), _status(rs).get("replicas", 0),
    _status(rs).get("readyReplicas", 0), _age(rs, now), *_workload_tail(rs),
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
    _meta(ds).get("name", ""), _status(ds).get("desiredNumberScheduled", 0),
    _status(ds).get("currentNumberScheduled", 0), _status(ds).get("numberReady", 0),
    _status(ds).get("updatedNumberScheduled", 0), _status(ds).get("numberAvailable", 0),
    format_labels(((_spec(ds).get("template") or {}).get("spec") or {}).get("nodeSelector")),
    _age(ds, now), *_workload_tail(ds),
])


def _node_status(node: dict) -> str:
    status = "Unknown"
    for condition in _status(node).get("conditions") or []:
        if condition.get("type") == "Ready":
            status = "Ready" if condition.get("status") == "True" else "NotReady"
    if _spec(node).get("unschedulable"):
        status += ",SchedulingDisabled"
    return status


def _node_roles(node: dict) -> str:
    roles = set()
    for key, value in (_meta(node).get("labels") or {}).items():
        if key.startswith("node-role.kubernetes.io/") and key != "node-role.kubernetes.io/":
            roles.add(key.split("/", 1)[1])
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return ",".join(sorted(roles)) or "<none>"


def _node_address(node: dict, kind: str) -> str:
    for address in _status(node).get("addresses") or []:
        if address.get("type") == kind:
            return address.get("address", "<none>")
    return "<none>"


def _node_cells(node: dict, now: datetime) -> list:
    info = _status(node).get("nodeInfo") or {}
    return [
        _meta(node).get("name", ""), _node_status(node), _node_roles(node), _age(node, now),
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
            first, count, _meta(event).get("name", "")]


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


def _service_external_ip(spec: dict, status: dict) -> str:
    external = list(spec.get("externalIPs") or [])
    kind = spec.get("type", "ClusterIP")
    if kind == "ExternalName":
        return spec.get("externalName", "<none>")
    if kind == "LoadBalancer":
        ingress = (status.get("loadBalancer") or {}).get("ingress") or []
        external = [i.get("ip") or i.get("hostname") for i in ingress] + external
        return ",".join(filter(None, external)) or "<pending>"
    return ",".join(external) or "<none>"


def _service_ports(spec: dict) -> str:
    parts = []
    for port in spec.get("ports") or []:
        if port.get("nodePort"):
            parts.append(f"{port.get('port')}:{port['nodePort']}/{port.get('protocol', 'TCP')}")
        else:
            parts.append(f"{port.get('port')}/{port.get('protocol', 'TCP')}")
    return ",".join(parts) or "<none>"


SERVICE = Printer((
    NAME,
    Column("Type", description="type determines how the Service is exposed."),
    Column("Cluster-IP", description="clusterIP is the IP address of the service."),
    Column("External-IP", description="externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
    Column("Port(s)", description="The list of ports that are exposed by this service."),
    AGE,
    Column("Selector", priority=1, description="Route service traffic to pods with label keys and values matching this selector."),
), lambda svc, now: [
    _meta(svc).get("name", ""), _spec(svc).get("type", ""),
    (_spec(svc).get("clusterIPs") or ["<none>"])[0],
    _service_external_ip(_spec(svc), _status(svc)), _service_ports(_spec(svc)), _age(svc, now),
    format_labels(_spec(svc).get("selector")),
])

NAMESPACE = Printer((
    NAME,
    Column("Status", description="The status of the namespace"),
    AGE,
), lambda ns, now: [_meta(ns).get("name", ""), _status(ns).get("phase", ""), _age(ns, now)])

CONFIGMAP = Printer((
    NAME,
    Column("Data", "integer", description="Number of user provided data items in the config map"),
    AGE,
), lambda cm, now: [_meta(cm).get("name", ""),
                    len(cm.get("data") or {}) + len(cm.get("binaryData") or {}), _age(cm, now)])

DEFAULT = Printer((NAME, AGE), lambda obj, now: [_meta(obj).get("name", ""), _age(obj, now)])

SECRET = Printer((
    NAME,
    Column("Type", description="Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
    Column("Data", description="Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
    AGE,
), lambda secret, now: [_meta(secret).get("name", ""), secret.get("type", ""),
                        len(secret.get("data") or {}), _age(secret, now)])

SERVICE_ACCOUNT = Printer((
    NAME,
    Column("Secrets", description="Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret"),
    AGE,
), lambda account, now: [_meta(account).get("name", ""), len(account.get("secrets") or []),
                         _age(account, now)])

LEASE = Printer((
    NAME,
    Column("Holder", description="holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field."),
    AGE,
), lambda lease, now: [_meta(lease).get("name", ""), _spec(lease).get("holderIdentity") or "",
                       _age(lease, now)])


def _more(shown: list[str], count: int, maximum: int = 3, empty: str = "<unset>") -> str:
    """listWithMoreString: up to `maximum` items, then `+ N more...`."""
    text = ",".join(shown[:maximum])
    if count > maximum:
        return f"{text} + {count - maximum} more..."
    return text or empty


def format_endpoints(endpoints: dict) -> str:
    """formatEndpoints (all ports): `ip:port` per address and port, at most three shown."""
    subsets = endpoints.get("subsets") or []
    if not subsets:
        return "<none>"
    shown: list[str] = []
    count = 0
    for subset in subsets:
        addresses = [a.get("ip", "") for a in subset.get("addresses") or []]
        ports = subset.get("ports") or []
        if not ports:
            count += len(addresses)
            shown.extend(addresses)
            continue
        for port in ports:
            count += len(addresses)
            shown.extend(_host_port(ip, port.get("port", 0)) for ip in addresses)
    return _more(shown, count, empty="")


def _host_port(ip: str, port: object) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


ENDPOINTS = Printer((
    NAME,
    Column("Endpoints", description="The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service."),
    AGE,
), lambda endpoints, now: [_meta(endpoints).get("name", ""), format_endpoints(endpoints),
                           _age(endpoints, now)])


def _slice_ports(endpoint_slice: dict) -> str:
    ports = endpoint_slice.get("ports") or []
    shown = []
    for port in ports:
        if port.get("port") is not None:
            shown.append(str(port["port"]))
        elif port.get("name") is not None:
            shown.append(str(port["name"]))
        else:
            shown.append("*")
    return _more(shown, len(ports))


def _slice_addresses(endpoint_slice: dict) -> str:
    addresses = [address for endpoint in endpoint_slice.get("endpoints") or []
                 for address in endpoint.get("addresses") or []]
    return _more(addresses, len(addresses))


ENDPOINT_SLICE = Printer((
    NAME,
    Column("AddressType", description="addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name. (Deprecated) The EndpointSlice controller only generates, and kube-proxy only processes, slices of addressType \"IPv4\" and \"IPv6\". No semantics are defined for the \"FQDN\" type."),
    Column("Ports", description="ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. Each slice may include a maximum of 100 ports. Services always have at least 1 port, so EndpointSlices generated by the EndpointSlice controller will likewise always have at least 1 port. EndpointSlices used for other purposes may have an empty ports list."),
    Column("Endpoints", description="endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints."),
    AGE,
), lambda endpoint_slice, now: [_meta(endpoint_slice).get("name", ""), endpoint_slice.get("addressType", ""),
                                _slice_ports(endpoint_slice), _slice_addresses(endpoint_slice),
                                _age(endpoint_slice, now)])
