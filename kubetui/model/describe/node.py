"""`kubectl describe node`: identity, lease, conditions, capacity, system info, and what the
non-terminated pods on it request.

Key decisions: the lease is passed in as the object, or as the error text kubectl would show
after `Failed to get lease:` (a cluster without the coordination API, like the local one,
gets that line, as with kubectl); percentages are Go's `int64(float64(a)/float64(b)*100)`,
truncated; the pods come in the order the server listed them. Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime

from kubetui.model.describe.events import describe_events
from kubetui.model.describe.fields import print_annotations, print_labels, print_taints, quantity_text
from kubetui.model.describe.pod_resources import pod_requests_and_limits, total_requests_and_limits
from kubetui.model.describe.writer import PrefixWriter, go_value, rfc1123z, since
from kubetui.model.quantity import ZERO, Quantity, QuantityError, parse_quantity

__all__ = ["describe_node"]

ROLE_PREFIX = "node-role.kubernetes.io/"
ROLE_LABEL = "kubernetes.io/role"
_STANDARD = {"cpu", "memory", "ephemeral-storage"}
_GO_INT64_OF_NAN = -(2**63)  # int64(NaN) and int64(±Inf) on amd64
_SYSTEM_INFO = (("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
                ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"),
                ("Operating System", "operatingSystem"), ("Architecture", "architecture"),
                ("Container Runtime Version", "containerRuntimeVersion"), ("Kubelet Version", "kubeletVersion"))


def describe_node(node: dict, pods: list[dict] | None, events: list[dict] | None, now: datetime, *,
                  lease: dict | None = None, lease_error: str | None = None, tz=None) -> str:
    """`pods` None: the pods could not be listed (kubectl's `Pods: not authorized`)."""
    meta, spec, status = node.get("metadata") or {}, node.get("spec") or {}, node.get("status") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
    roles = _roles(meta.get("labels") or {})
    w.write(0, f"Roles:\t{','.join(roles) if roles else '<none>'}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'), tz)}\n")
    print_taints(w, "Taints", spec.get("taints"))
    w.write(0, f"Unschedulable:\t{'true' if spec.get('unschedulable') is True else 'false'}\n")
    if lease_error is not None:
        w.write(0, f"Lease:\tFailed to get lease: {lease_error}\n")
    else:
        lease_spec = (lease or {}).get("spec") or {}
        w.write(0, "Lease:\n")
        w.write(1, f"HolderIdentity:\t{_s(lease_spec.get('holderIdentity')) or '<unset>'}\n")
        for title, field in (("AcquireTime", "acquireTime"), ("RenewTime", "renewTime")):
            value = lease_spec.get(field)
            w.write(1, f"{title}:\t{rfc1123z(value, tz) if value is not None else '<unset>'}\n")
    conditions = [c for c in status.get("conditions") or () if isinstance(c, dict)]
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(1, f"{_s(c.get('type'))} \t{_s(c.get('status'))} \t{rfc1123z(c.get('lastHeartbeatTime'), tz)} \t"
                       f"{rfc1123z(c.get('lastTransitionTime'), tz)} \t{_s(c.get('reason'))} \t{_s(c.get('message'))}\n")
    w.write(0, "Addresses:\n")
    for address in status.get("addresses") or ():
        if isinstance(address, dict):
            w.write(1, f"{_s(address.get('type'))}:\t{_s(address.get('address'))}\n")
    for title, field in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        resources = status.get(field)
        if isinstance(resources, dict) and resources:
            w.write(0, f"{title}:\n")
            for name in sorted(resources):
                w.write(0, f"  {name}:\t{quantity_text(resources[name])}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for title, field in _SYSTEM_INFO:
        w.write(0, f"  {title}:\t{_s(info.get(field))}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{_s(spec['podCIDR'])}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(_s(c) for c in spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{_s(spec['providerID'])}\n")
    if pods is not None:
        _node_resources(pods, status, w, now)
    else:
        w.write(0, "Pods:\tnot authorized\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def _node_resources(pods: list[dict], status: dict, w: PrefixWriter, now: datetime) -> None:
    """`describeNodeResource`: each pod's requests and limits, then the totals."""
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    allocatable = _resources(status.get("allocatable")) or _resources(status.get("capacity"))
    cpu = allocatable.get("cpu", ZERO).milli_value()
    memory = allocatable.get("memory", ZERO).value()
    for pod in pods:
        requests, limits = pod_requests_and_limits(pod)
        meta = pod.get("metadata") or {}
        cpu_req, cpu_lim = requests.get("cpu", ZERO), limits.get("cpu", ZERO)
        mem_req, mem_lim = requests.get("memory", ZERO), limits.get("memory", ZERO)
        w.write(1, f"{_s(meta.get('namespace'))}\t{_s(meta.get('name'))}\t\t"
                   f"{cpu_req} ({_percent(cpu_req.milli_value(), cpu)}%)\t{cpu_lim} ({_percent(cpu_lim.milli_value(), cpu)}%)\t"
                   f"{mem_req} ({_percent(mem_req.value(), memory)}%)\t{mem_lim} ({_percent(mem_lim.value(), memory)}%)\t"
                   f"{since(meta.get('creationTimestamp'), now)}\n")
    w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    requests, limits = total_requests_and_limits(pods)
    storage = allocatable.get("ephemeral-storage", ZERO).value()
    for name, total, scale in (("cpu", cpu, Quantity.milli_value), ("memory", memory, Quantity.value),
                               ("ephemeral-storage", storage, Quantity.value)):
        request, limit = requests.get(name, ZERO), limits.get(name, ZERO)
        w.write(1, f"{name}\t{request} ({_total_percent(scale(request), total)}%)\t"
                   f"{limit} ({_total_percent(scale(limit), total)}%)\n")
    huge_pages = sorted(name for name in allocatable if name.startswith("hugepages-"))
    extended = sorted(name for name in allocatable
                      if not name.startswith("hugepages-") and not _is_standard(name) and name != "pods")
    for name in huge_pages:
        request, limit = requests.get(name, ZERO), limits.get(name, ZERO)
        total = allocatable[name].value()
        w.write(1, f"{name}\t{request} ({_total_percent(request.value(), total)}%)\t"
                   f"{limit} ({_total_percent(limit.value(), total)}%)\n")
    for name in extended:
        w.write(1, f"{name}\t{requests.get(name, ZERO)}\t{limits.get(name, ZERO)}\n")


def _is_standard(name: str) -> bool:
    """`IsStandardContainerResourceName`, with the hugepages prefix."""
    return name in _STANDARD or name.startswith("hugepages-")


def _percent(value: int, total: int) -> int:
    """Go's `int64(float64(value) / float64(total) * 100)`, with its answers for a zero total."""
    if total == 0:
        return _GO_INT64_OF_NAN
    return int(float(value) / float(total) * 100)


def _total_percent(value: int, total: int) -> int:
    return 0 if total == 0 else int(float(value) / float(total) * 100)


def _roles(labels: dict) -> list[str]:
    roles = set()
    for key, value in labels.items():
        if key.startswith(ROLE_PREFIX):
            role = key[len(ROLE_PREFIX):]
            if role:
                roles.add(role)
        elif key == ROLE_LABEL and value:
            roles.add(_s(value))
    return sorted(roles)


def _resources(values: object) -> dict[str, Quantity]:
    found: dict[str, Quantity] = {}
    if isinstance(values, dict):
        for name, text in values.items():
            try:
                found[name] = parse_quantity(text)
            except QuantityError:
                continue
    return found


def _s(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else go_value(value)
