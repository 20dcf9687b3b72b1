"""The default-scheduler's filter plugins, as pure functions on dicts, and its FitError text.

Key decisions: the plugins run in kube-scheduler's order (NodeUnschedulable, TaintToleration,
NodeAffinity, NodePorts, NodeResourcesFit) and the first one that refuses a node decides its
reasons, as the framework's RunFilterPlugins does. Each refusal says whether preemption could
help (Unschedulable) or not (UnschedulableAndUnresolvable); `fit_error` then words the
FailedScheduling message with both histograms, e.g. `0/2 nodes are available: 1 node(s) were
unschedulable, 1 Insufficient cpu. preemption: 0/2 nodes are available: 1 No preemption
victims found for incoming pod, 1 Preemption is not helpful for scheduling.` Preemption itself
is not modelled: no pod here has lower-priority victims to offer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kubetui.localcluster.registry.defaults import parse_quantity

UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable"
NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_VICTIMS = "No preemption victims found for incoming pod"
_DO_NOT_SCHEDULE = ("NoSchedule", "NoExecute")
_RESOURCES = ("cpu", "memory")


@dataclass(frozen=True)
class Refusal:
    reasons: tuple[str, ...]
    resolvable: bool  # preemption could make room (resources, ports), unlike a taint


def tolerates(tolerations: list, taint: dict) -> bool:
    """v1helper.TolerationsTolerateTaint."""
    for toleration in tolerations or []:
        if not isinstance(toleration, dict):
            continue
        effect = toleration.get("effect") or ""
        if effect and effect != taint.get("effect"):
            continue
        key = toleration.get("key") or ""
        if key and key != taint.get("key"):
            continue
        operator = toleration.get("operator") or "Equal"
        if operator == "Exists":
            return True
        if operator == "Equal" and (toleration.get("value") or "") == (taint.get("value") or ""):
            return True
    return False


def _expression_matches(expression: dict, labels: dict) -> bool:
    key, operator = expression.get("key", ""), expression.get("operator")
    values = [str(v) for v in expression.get("values") or []]
    present, value = key in labels, labels.get(key)
    if operator == "In":
        return present and value in values
    if operator == "NotIn":
        return not present or value not in values
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    if operator in ("Gt", "Lt") and present and len(values) == 1:
        try:
            number, bound = int(value), int(values[0])
        except ValueError:
            return False
        return number > bound if operator == "Gt" else number < bound
    return False


def matches_node_affinity(spec: dict, node: dict) -> bool:
    """nodeSelector and requiredDuringSchedulingIgnoredDuringExecution (terms are ORed)."""
    meta = node.get("metadata") or {}
    labels = meta.get("labels") or {}
    if any(labels.get(k) != v for k, v in (spec.get("nodeSelector") or {}).items()):
        return False
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    terms = required.get("nodeSelectorTerms")
    if not terms:
        return True
    fields = {"metadata.name": meta.get("name", "")}
    return any(
        (term.get("matchExpressions") or term.get("matchFields"))
        and all(_expression_matches(e, labels) for e in term.get("matchExpressions") or [])
        and all(_expression_matches(e, fields) for e in term.get("matchFields") or [])
        for term in terms if isinstance(term, dict))


def requests(pod: dict) -> dict[str, Decimal]:
    """Effective requests: the sum of containers, or the largest init container if bigger."""
    spec = pod.get("spec") or {}
    total = {name: Decimal(0) for name in _RESOURCES}
    for container in spec.get("containers") or []:
        for name in total:
            total[name] += _request(container, name)
    for container in spec.get("initContainers") or []:
        for name in total:
            total[name] = max(total[name], _request(container, name))
    return total


def _request(container: dict, name: str) -> Decimal:
    resources = container.get("resources") or {}
    value = (resources.get("requests") or {}).get(name, (resources.get("limits") or {}).get(name))
    return parse_quantity(value) or Decimal(0)


def _host_ports(pod: dict) -> set[tuple[str, int]]:
    ports = set()
    for container in (pod.get("spec") or {}).get("containers") or []:
        for port in container.get("ports") or []:
            if isinstance(port, dict) and port.get("hostPort"):
                ports.add((port.get("protocol") or "TCP", int(port["hostPort"])))
    return ports


def refusal(pod: dict, node: dict, pods_on_node: list[dict]) -> Refusal | None:
    """Why `node` cannot take `pod` (None: it can)."""
    spec, node_spec = pod.get("spec") or {}, node.get("spec") or {}
    tolerations = spec.get("tolerations") or []
    if node_spec.get("unschedulable") and not tolerates(
            tolerations, {"key": UNSCHEDULABLE_TAINT, "effect": "NoSchedule"}):
        return Refusal(("node(s) were unschedulable",), False)
    for taint in node_spec.get("taints") or []:
        if taint.get("effect") in _DO_NOT_SCHEDULE and not tolerates(tolerations, taint):
            return Refusal((f"node(s) had untolerated taint {{{taint.get('key', '')}: "
                            f"{taint.get('value', '')}}}",), False)
    if not matches_node_affinity(spec, node):
        return Refusal(("node(s) didn't match Pod's node affinity/selector",), False)
    used_ports = set().union(*(_host_ports(other) for other in pods_on_node)) if pods_on_node else set()
    if _host_ports(pod) & used_ports:
        return Refusal(("node(s) didn't have free ports for the requested pod ports",), True)
    allocatable = (node.get("status") or {}).get("allocatable") or {}
    reasons = []
    if len(pods_on_node) + 1 > int(parse_quantity(allocatable.get("pods")) or 110):
        reasons.append("Too many pods")
    wanted = requests(pod)
    for name in _RESOURCES:
        limit = parse_quantity(allocatable.get(name))
        if limit is None or not wanted[name]:
            continue
        used = sum((requests(other)[name] for other in pods_on_node), Decimal(0))
        if used + wanted[name] > limit:
            reasons.append(f"Insufficient {name}")
    return Refusal(tuple(reasons), True) if reasons else None


def _histogram(counts: dict[str, int]) -> str:
    return ", ".join(sorted(f"{count} {reason}" for reason, count in counts.items()))


def fit_error(refusals: list[Refusal], node_count: int) -> str:
    """FitError.Error() with preemption's PostFilter message."""
    reasons: dict[str, int] = {}
    preemption: dict[str, int] = {}
    for refused in refusals:
        for reason in refused.reasons:
            reasons[reason] = reasons.get(reason, 0) + 1
        outcome = NO_VICTIMS if refused.resolvable else NOT_HELPFUL
        preemption[outcome] = preemption.get(outcome, 0) + 1
    if not node_count:
        return "no nodes available to schedule pods"
    head = f"0/{node_count} nodes are available"
    message = f"{head}: {_histogram(reasons)}." if reasons else f"{head}:"
    return f"{message} preemption: {head}: {_histogram(preemption)}."
