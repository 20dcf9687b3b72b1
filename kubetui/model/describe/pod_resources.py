"""What a pod asks of its node (kubectl's `PodRequestsAndLimits`) and its QoS class.

Key decisions: requests and limits follow kubectl's resource helper: the sum over containers
(a container's allocated resources count when larger), restartable init containers (sidecars)
added, plain init containers counted by their maximum, pod overhead added; pod-level
resources replace the container sums for what they set. The QoS class is the one in the
pod's status, else computed as the API computes it. Quantities keep their original text
until arithmetic touches them, as `Quantity.String()` shows them. Pure: no I/O.
"""

from __future__ import annotations

from kubetui.model.quantity import Quantity, QuantityError, parse_quantity

__all__ = ["pod_qos_class", "pod_requests_and_limits", "total_requests_and_limits"]

Resources = dict[str, Quantity]


def pod_requests_and_limits(pod: dict) -> tuple[Resources, Resources]:
    return _requests(pod), _limits(pod)


def total_requests_and_limits(pods: list[dict]) -> tuple[Resources, Resources]:
    """`getPodsTotalRequestsAndLimits`: the sums over every pod."""
    requests: Resources = {}
    limits: Resources = {}
    for pod in pods:
        pod_requests, pod_limits = pod_requests_and_limits(pod)
        _add(requests, pod_requests)
        _add(limits, pod_limits)
    return requests, limits


def _requests(pod: dict) -> Resources:
    spec = pod.get("spec") or {}
    statuses = {s.get("name"): s for s in (pod.get("status") or {}).get("containerStatuses") or ()
                if isinstance(s, dict)}
    resize_infeasible = (pod.get("status") or {}).get("resize") == "Infeasible"
    total: Resources = {}
    for container in _containers(spec, "containers"):
        wanted = _list(container, "requests")
        status = statuses.get(container.get("name"))
        if status is not None:
            allocated = _quantities(status.get("allocatedResources"))
            wanted = dict(allocated) if resize_infeasible else _max_of(wanted, allocated)
        _add(total, wanted)
    _init_containers(spec, "requests", total)
    _pod_level(spec, "requests", total)
    _add(total, _quantities(spec.get("overhead")))
    return total


def _limits(pod: dict) -> Resources:
    spec = pod.get("spec") or {}
    total: Resources = {}
    for container in _containers(spec, "containers"):
        _add(total, _list(container, "limits"))
    _init_containers(spec, "limits", total)
    _pod_level(spec, "limits", total)
    for name, quantity in _quantities(spec.get("overhead")).items():
        if name in total:  # overhead only raises limits that are set
            total[name] = total[name] + quantity
    return total


def _init_containers(spec: dict, field: str, total: Resources) -> None:
    sidecars: Resources = {}
    init_max: Resources = {}
    for container in _containers(spec, "initContainers"):
        wanted = _list(container, field)
        if container.get("restartPolicy") == "Always":
            _add(total, wanted)
            _add(sidecars, wanted)
            wanted = sidecars
        else:
            combined: Resources = {}
            _add(combined, wanted)
            _add(combined, sidecars)
            wanted = combined
        _max_into(init_max, wanted)
    _max_into(total, init_max)


def _pod_level(spec: dict, field: str, total: Resources) -> None:
    """Pod-level resources, where set, stand for the pod (cpu and memory only)."""
    resources = spec.get("resources")
    if not isinstance(resources, dict):
        return
    for name, quantity in _quantities(resources.get(field)).items():
        if name in ("cpu", "memory"):
            total[name] = quantity


def pod_qos_class(pod: dict) -> str:
    """`qos.GetPodQOS`: the status' class, else `ComputePodQOS`."""
    given = (pod.get("status") or {}).get("qosClass")
    if isinstance(given, str) and given:
        return given
    spec = pod.get("spec") or {}
    requests: Resources = {}
    limits: Resources = {}
    guaranteed = True
    pod_resources = spec.get("resources")
    if isinstance(pod_resources, dict) and (pod_resources.get("requests") or pod_resources.get("limits")):
        return _pod_level_qos(pod_resources)
    for container in _containers(spec, "containers") + _containers(spec, "initContainers"):
        for name, quantity in _list(container, "requests").items():
            if name in ("cpu", "memory") and quantity.nanos > 0:
                requests[name] = requests[name] + quantity if name in requests else quantity
        found = set()
        for name, quantity in _list(container, "limits").items():
            if name in ("cpu", "memory") and quantity.nanos > 0:
                found.add(name)
                limits[name] = limits[name] + quantity if name in limits else quantity
        if not {"cpu", "memory"} <= found:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed:
        for name, request in requests.items():
            if name not in limits or limits[name].nanos != request.nanos:
                guaranteed = False
                break
    if guaranteed and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def _pod_level_qos(resources: dict) -> str:
    requests = {k: v for k, v in _quantities(resources.get("requests")).items() if k in ("cpu", "memory") and v.nanos > 0}
    limits = {k: v for k, v in _quantities(resources.get("limits")).items() if k in ("cpu", "memory") and v.nanos > 0}
    if not requests and not limits:
        return "BestEffort"
    if set(limits) == {"cpu", "memory"} and all(name in limits and limits[name].nanos == value.nanos
                                                  for name, value in requests.items()) \
            and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def _containers(spec: dict, field: str) -> list[dict]:
    return [c for c in spec.get(field) or () if isinstance(c, dict)]


def _list(container: dict, field: str) -> Resources:
    return _quantities((container.get("resources") or {}).get(field))


def _quantities(values: object) -> Resources:
    found: Resources = {}
    if isinstance(values, dict):
        for name, text in values.items():
            try:
                found[name] = parse_quantity(text)
            except QuantityError:
                continue
    return found


def _add(total: Resources, more: Resources) -> None:
    for name, quantity in more.items():
        total[name] = total[name] + quantity if name in total else quantity


def _max_into(total: Resources, other: Resources) -> None:
    for name, quantity in other.items():
        if name not in total or quantity.nanos > total[name].nanos:
            total[name] = quantity


def _max_of(first: Resources, second: Resources) -> Resources:
    """kubectl's `max(a, b)`: on a tie the second (allocated) quantity is kept."""
    result = {name: second[name] if name in second and value.nanos <= second[name].nanos else value
              for name, value in first.items()}
    for name, value in second.items():
        result.setdefault(name, value)
    return result
