"""`kubectl describe pod` and the `Pod Template:` section of the workload describers.

Key decision: a line-for-line port of kubectl's `describePod` / `DescribePodTemplate`; the
only clock reads are the `Terminating (lasts ...)` age and the events' ages, both from `now`.
Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime

from kubetui.model.describe.containers import describe_containers, describe_resources
from kubetui.model.describe.events import describe_events
from kubetui.model.describe.fields import (
    controller_of, print_annotations, print_labels, print_tolerations)
from kubetui.model.describe.pod_resources import pod_qos_class
from kubetui.model.describe.volumes import describe_volumes
from kubetui.model.describe.writer import PrefixWriter, go_value, rfc1123z, since
from kubetui.model.go_sort import go_sort
from kubetui.model.label_selectors import format_label_selector

__all__ = ["describe_pod", "describe_pod_template", "pod_describer_text"]


def pod_describer_text(pod: dict, events: list[dict] | None, now: datetime, tz=None) -> str:
    w = PrefixWriter()
    describe_pod(pod, events, w, now, tz)
    return w.text()


def describe_pod(pod: dict, events: list[dict] | None, w: PrefixWriter, now: datetime, tz=None) -> None:
    meta, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
    w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
    if _is_int(spec.get("priority")):
        w.write(0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{_s(spec['priorityClassName'])}\n")
    if spec.get("runtimeClassName"):
        w.write(0, f"Runtime Class Name:\t{_s(spec['runtimeClassName'])}\n")
    if spec.get("serviceAccountName"):
        w.write(0, f"Service Account:\t{_s(spec['serviceAccountName'])}\n")
    if not spec.get("nodeName"):
        w.write(0, "Node:\t<none>\n")
    else:
        w.write(0, f"Node:\t{_s(spec['nodeName'])}/{_s(status.get('hostIP'))}\n")
    if status.get("startTime") is not None:
        w.write(0, f"Start Time:\t{rfc1123z(status['startTime'], tz)}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    phase = _s(status.get("phase"))
    if meta.get("deletionTimestamp") is not None and phase not in ("Failed", "Succeeded"):
        w.write(0, f"Status:\tTerminating (lasts {since(meta['deletionTimestamp'], now)})\n")
        w.write(0, f"Termination Grace Period:\t{_i(meta.get('deletionGracePeriodSeconds'))}s\n")
    else:
        w.write(0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(0, f"Reason:\t{_s(status['reason'])}\n")
    if status.get("message"):
        w.write(0, f"Message:\t{_s(status['message'])}\n")
    profile = (spec.get("securityContext") or {}).get("seccompProfile")
    if isinstance(profile, dict):
        w.write(0, f"SeccompProfile:\t{_s(profile.get('type'))}\n")
        if profile.get("type") == "Localhost":
            w.write(0, f"LocalhostProfile:\t{_s(profile.get('localhostProfile'))}\n")
    w.write(0, f"IP:\t{_s(status.get('podIP'))}\n")
    pod_ips = [ip for ip in status.get("podIPs") or () if isinstance(ip, dict)]
    if not pod_ips:
        w.write(0, "IPs:\t<none>\n")
    else:
        w.write(0, "IPs:\n")
        for ip in pod_ips:
            w.write(1, f"IP:\t{_s(ip.get('ip'))}\n")
    controlled_by = controller_of(pod)
    if controlled_by:
        w.write(0, f"Controlled By:\t{controlled_by}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{_s(status['nominatedNodeName'])}\n")
    if isinstance(spec.get("resources"), dict):
        w.write(0, "Resources:\n")
        describe_resources(spec["resources"], w, 1)
    if spec.get("initContainers"):
        describe_containers("Init Containers", spec["initContainers"], status.get("initContainerStatuses") or [],
                            pod, w, "", tz)
    describe_containers("Containers", spec.get("containers") or [], status.get("containerStatuses") or [],
                        pod, w, "", tz)
    if spec.get("ephemeralContainers"):
        describe_containers("Ephemeral Containers", spec["ephemeralContainers"],
                            status.get("ephemeralContainerStatuses") or [], pod, w, "", tz)
    conditions = [c for c in status.get("conditions") or () if isinstance(c, dict)]
    gates = [g for g in spec.get("readinessGates") or () if isinstance(g, dict)]
    if gates:
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        for gate in gates:
            found = next((c for c in conditions if c.get("type") == gate.get("conditionType")), None)
            shown = go_value(found.get("status") or "") if found is not None else "<none>"
            w.write(1, f"{_s(gate.get('conditionType'))} \t{shown} \n")
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for condition in conditions:
            w.write(1, f"{_s(condition.get('type'))} \t{_s(condition.get('status'))} \n")
    describe_volumes(spec.get("volumes"), w, "")
    w.write(0, f"QoS Class:\t{pod_qos_class(pod)}\n")
    print_labels(w, "Node-Selectors", spec.get("nodeSelector"))
    print_tolerations(w, "Tolerations", spec.get("tolerations"))
    describe_topology_spread(spec.get("topologySpreadConstraints"), w, "")
    if events is not None:
        describe_events(events, w, now)


def describe_pod_template(template: object, w: PrefixWriter) -> None:
    """`DescribePodTemplate`: labels, containers (no state), volumes and scheduling of a template."""
    w.write(0, "Pod Template:\n")
    if not isinstance(template, dict):
        w.write(1, "<unset>")
        return
    meta, spec = template.get("metadata") or {}, template.get("spec") or {}
    print_labels(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        print_annotations(w, "  Annotations", meta["annotations"])
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{_s(spec['serviceAccountName'])}\n")
    if spec.get("initContainers"):
        describe_containers("Init Containers", spec["initContainers"], None, None, w, "  ")
    describe_containers("Containers", spec.get("containers") or [], None, None, w, "  ")
    describe_volumes(spec.get("volumes"), w, "  ")
    describe_topology_spread(spec.get("topologySpreadConstraints"), w, "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{_s(spec['priorityClassName'])}\n")
    print_labels(w, "  Node-Selectors", spec.get("nodeSelector"))
    print_tolerations(w, "  Tolerations", spec.get("tolerations"))


def describe_topology_spread(constraints: object, w: PrefixWriter, space: str) -> None:
    items = [c for c in constraints or () if isinstance(c, dict)] if isinstance(constraints, list) else []
    if not items:
        return
    go_sort(items, lambda a, b: _s(a.get("topologyKey")) < _s(b.get("topologyKey")))
    w.write(0, f"{space}Topology Spread Constraints:\t")
    for index, constraint in enumerate(items):
        if index:
            w.write(0, space)
            w.write(0, "\t")
        text = (f"{_s(constraint.get('topologyKey'))}:{_s(constraint.get('whenUnsatisfiable'))}"
                f" when max skew {_i(constraint.get('maxSkew'))} is exceeded")
        if isinstance(constraint.get("labelSelector"), dict):
            text += f" for selector {format_label_selector(constraint['labelSelector'])}"
        w.write(0, text + "\n")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _s(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else go_value(value)


def _i(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
