"""The endpoints and EndpointSlice controllers: a Service's backends, from its ready pods.

For every Service with a selector (ExternalName aside) the v1 Endpoints of the same name and
the discovery.k8s.io/v1 EndpointSlices labelled `kubernetes.io/service-name` list the pods the
selector picks that have an IP and are not finished: Endpoints puts ready ones in `addresses`
and the rest in `notReadyAddresses` (terminating pods are left out), slices keep terminating
pods with their ready/serving/terminating conditions. Each service port is resolved per pod
(a named targetPort through the pod's container ports). A service with no backends still gets
an empty Endpoints and one placeholder slice.

Key decisions: one reconcile per service, queued by service events and by pod events (for the
services whose selector matches the pod now, and those that listed it before, so a pod that
changes its labels leaves). Existing slices are updated in place, so their names stay put.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import random

from kubetui.localcluster.storage.changes import DELETED
from kubetui.localcluster.apimachinery.clock import Clock, rfc3339, utc_now
from kubetui.localcluster.controllers import podstate
from kubetui.localcluster.controllers.naming import random_suffix
from kubetui.localcluster.controllers.workqueue import ReconcileQueue
from kubetui.model.label_selectors import selector_from_spec

log = logging.getLogger(__name__)

ENDPOINTS_MANAGER = "endpoint-controller"
SLICE_MANAGER = "endpointslice-controller"
SLICE_CONTROLLER = "endpointslice-controller.k8s.io"
MANAGED_BY = "endpointslice.kubernetes.io/managed-by"
SERVICE_NAME = "kubernetes.io/service-name"
HEADLESS = "service.kubernetes.io/headless"
TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"
MAX_PER_SLICE = 100  # kube-controller-manager's --max-endpoints-per-slice
Key = tuple[str, str]


class EndpointsController:
    def __init__(self, store, loop: asyncio.AbstractEventLoop, *, now: Clock = utc_now,
                 rng: random.Random | None = None) -> None:
        self._store = store
        self._now = now
        self._rng = rng
        self._listed: dict[Key, set[str]] = {}  # pod → the services whose endpoints list it
        self._backends: dict[Key, set[Key]] = {}  # service → the pods it lists
        self.queue = ReconcileQueue(loop, self.reconcile, "endpoint-controller")

    def start(self) -> None:
        self._store.add_listener(self.on_event)
        for service in self._store.list("services")[0]:
            self.queue.add(_key(service))

    def stop(self) -> None:
        self._store.remove_listener(self.on_event)
        self.queue.stop()

    def on_event(self, event_type: str, plural: str, obj: dict) -> None:
        if plural == "services":
            self.queue.add(_key(obj))
        elif plural == "pods":
            namespace, name = _key(obj)
            services = set(self._listed.get((namespace, name), ()))
            if event_type != DELETED:
                labels = obj["metadata"].get("labels") or {}
                for service in self._store.scan("services", namespace):
                    selector = (service.get("spec") or {}).get("selector")
                    if selector and all(labels.get(k) == v for k, v in selector.items()):
                        services.add(service["metadata"]["name"])
            for service_name in services:
                self.queue.add((namespace, service_name))
        elif plural in ("endpoints", "endpointslices") and event_type == DELETED:
            self.queue.add(_service_key(plural, obj))

    # ------------------------------------------------------------------ reconcile
    def reconcile(self, key: Key) -> None:
        namespace, name = key
        service = self._store.get("services", namespace, name)
        spec = (service or {}).get("spec") or {}
        if (service is None or service["metadata"].get("deletionTimestamp") or not spec.get("selector")
                or spec.get("type") == "ExternalName"):
            self._forget_service(key)
            return  # the garbage collector takes the slices; a selectorless service's are the user's
        namespace_obj = self._store.get("namespaces", "", namespace)
        if namespace_obj is None or namespace_obj["metadata"].get("deletionTimestamp"):
            return
        pods = self._selected_pods(service)
        self._remember(key, pods)
        self._write_endpoints(service, pods)
        self._write_slices(service, pods)

    def _selected_pods(self, service: dict) -> list[dict]:
        selector = selector_from_spec({"matchLabels": service["spec"]["selector"]})
        namespace = service["metadata"].get("namespace")
        return [pod for pod in self._store.scan("pods", namespace)
                if selector.matches(pod["metadata"].get("labels") or {}) and _has_ip(pod)
                and (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]

    def _remember(self, key: Key, pods: list[dict]) -> None:
        namespace, service_name = key
        now_listed = {(namespace, pod["metadata"]["name"]) for pod in pods}
        for pod_key in self._backends.get(key, set()) - now_listed:
            services = self._listed.get(pod_key)
            if services is not None:
                services.discard(service_name)
                if not services:
                    del self._listed[pod_key]
        for pod_key in now_listed:
            self._listed.setdefault(pod_key, set()).add(service_name)
        if now_listed:
            self._backends[key] = now_listed
        else:
            self._backends.pop(key, None)

    def _forget_service(self, key: Key) -> None:
        self._remember(key, [])

    # ------------------------------------------------------------------ v1 Endpoints
    def _write_endpoints(self, service: dict, pods: list[dict]) -> None:
        meta = service["metadata"]
        publish = bool(service["spec"].get("publishNotReadyAddresses"))
        groups: dict[tuple, dict] = {}
        for pod in pods:
            if pod["metadata"].get("deletionTimestamp") and not publish:
                continue
            ports = _endpoint_ports(service, pod)
            if ports is None:
                continue
            group = groups.setdefault(tuple(sorted((p.get("name", ""), p["port"], p["protocol"]) for p in ports)),
                                      {"ports": ports, "addresses": [], "notReadyAddresses": []})
            ready = publish or podstate.is_ready(pod)
            group["addresses" if ready else "notReadyAddresses"].append(_address(pod))
        subsets = []
        for _, group in sorted(groups.items()):
            subset: dict = {}
            for field in ("addresses", "notReadyAddresses"):
                if group[field]:
                    subset[field] = sorted(group[field], key=lambda a: (a["ip"], a["targetRef"]["uid"]))
            subset["ports"] = group["ports"]
            subsets.append(subset)
        labels = dict(meta.get("labels") or {})
        if service["spec"].get("clusterIP") == "None":
            labels[HEADLESS] = ""
        live = self._store.get("endpoints", meta.get("namespace"), meta["name"])
        if live is not None and (live.get("subsets") or []) == subsets and (
                live["metadata"].get("labels") or {}) == labels:
            return
        wanted: dict = {"metadata": {"name": meta["name"], "namespace": meta.get("namespace"),
                                     "annotations": {TRIGGER_TIME: rfc3339(self._now())}}}
        if labels:
            wanted["metadata"]["labels"] = labels
        if subsets:
            wanted["subsets"] = subsets
        if live is None:
            self._store.create("endpoints", wanted, manager=ENDPOINTS_MANAGER)
            return
        updated = copy.deepcopy(live)
        updated["metadata"].update(wanted["metadata"])
        if not labels:
            updated["metadata"].pop("labels", None)
        updated.pop("subsets", None)
        if subsets:
            updated["subsets"] = subsets
        self._store.update("endpoints", updated, manager=ENDPOINTS_MANAGER)

    # ------------------------------------------------------------------ EndpointSlices
    def _write_slices(self, service: dict, pods: list[dict]) -> None:
        meta = service["metadata"]
        namespace = meta.get("namespace")
        groups: dict[tuple, dict] = {}
        for pod in pods:
            ports = _endpoint_ports(service, pod)
            if ports is None:
                continue
            group = groups.setdefault(tuple((p.get("name", ""), p["port"], p["protocol"]) for p in ports),
                                      {"ports": [{**p, "name": p.get("name", "")} for p in ports], "endpoints": []})
            group["endpoints"].append(_slice_endpoint(service, pod))
        wanted = [{"ports": group["ports"], "endpoints": group["endpoints"][start:start + MAX_PER_SLICE]}
                  for _, group in sorted(groups.items())
                  for start in range(0, len(group["endpoints"]), MAX_PER_SLICE)]
        wanted = wanted or [{"ports": None, "endpoints": None}]
        existing = [s for s in self._store.scan("endpointslices", namespace)
                    if (s["metadata"].get("labels") or {}).get(SERVICE_NAME) == meta["name"]
                    and (s["metadata"].get("labels") or {}).get(MANAGED_BY) == SLICE_CONTROLLER]
        labels = {**(meta.get("labels") or {}), MANAGED_BY: SLICE_CONTROLLER, SERVICE_NAME: meta["name"]}
        if service["spec"].get("clusterIP") == "None":
            labels[HEADLESS] = ""
        for index, content in enumerate(wanted):
            live = existing[index] if index < len(existing) else None
            self._write_slice(service, live, labels, content)
        for extra in existing[len(wanted):]:
            self._store.delete("endpointslices", namespace, extra["metadata"]["name"])

    def _write_slice(self, service: dict, live: dict | None, labels: dict, content: dict) -> None:
        meta = service["metadata"]
        if live is not None and live.get("ports") == content["ports"] and live.get(
                "endpoints") == content["endpoints"] and (live["metadata"].get("labels") or {}) == labels:
            return
        annotations = {TRIGGER_TIME: rfc3339(self._now())}
        if live is None:
            self._store.create("endpointslices", {
                "metadata": {"generateName": f"{meta['name'][:57]}-", "namespace": meta.get("namespace"),
                             "name": f"{meta['name'][:57]}-{random_suffix(rng=self._rng)}",
                             "labels": labels, "annotations": annotations,
                             "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": meta["name"],
                                                  "uid": meta["uid"], "controller": True,
                                                  "blockOwnerDeletion": True}]},
                "addressType": "IPv4", **content}, manager=SLICE_MANAGER)
            return
        updated = copy.deepcopy(live)
        updated["metadata"]["labels"] = labels
        updated["metadata"]["annotations"] = {**(updated["metadata"].get("annotations") or {}), **annotations}
        updated.update(content)
        self._store.update("endpointslices", updated, manager=SLICE_MANAGER)


def _key(obj: dict) -> Key:
    return obj["metadata"].get("namespace") or "", obj["metadata"]["name"]


def _service_key(plural: str, obj: dict) -> Key:
    meta = obj["metadata"]
    if plural == "endpoints":
        return meta.get("namespace") or "", meta["name"]
    return meta.get("namespace") or "", (meta.get("labels") or {}).get(SERVICE_NAME, "")


def _has_ip(pod: dict) -> bool:
    status = pod.get("status") or {}
    return bool(status.get("podIP") or status.get("podIPs"))


def _pod_ip(pod: dict) -> str:
    status = pod.get("status") or {}
    return status.get("podIP") or ((status.get("podIPs") or [{}])[0].get("ip") or "")


def _target_ref(pod: dict) -> dict:
    meta = pod["metadata"]
    return {"kind": "Pod", "namespace": meta.get("namespace"), "name": meta["name"], "uid": meta.get("uid", "")}


def _address(pod: dict) -> dict:
    address: dict = {"ip": _pod_ip(pod)}
    node = (pod.get("spec") or {}).get("nodeName")
    if node:
        address["nodeName"] = node
    address["targetRef"] = _target_ref(pod)
    return address


def _slice_endpoint(service: dict, pod: dict) -> dict:
    serving = podstate.is_ready(pod)
    terminating = bool(pod["metadata"].get("deletionTimestamp"))
    ready = (bool(service["spec"].get("publishNotReadyAddresses")) or serving) and not terminating
    endpoint: dict = {"addresses": [_pod_ip(pod)],
                      "conditions": {"ready": ready, "serving": serving, "terminating": terminating}}
    node = (pod.get("spec") or {}).get("nodeName")
    if node:
        endpoint["nodeName"] = node
    endpoint["targetRef"] = _target_ref(pod)
    return endpoint


def _endpoint_ports(service: dict, pod: dict) -> list[dict] | None:
    """The service's ports as this pod serves them; None when a named port is missing."""
    ports = []
    for port in service["spec"].get("ports") or []:
        number = _target_port(port, pod)
        if number is None:
            return None
        resolved: dict = {"port": number, "protocol": port.get("protocol", "TCP")}
        if port.get("name"):
            resolved = {"name": port["name"], **resolved}
        if port.get("appProtocol"):
            resolved["appProtocol"] = port["appProtocol"]
        ports.append(resolved)
    return ports


def _target_port(port: dict, pod: dict) -> int | None:
    target = port.get("targetPort", port.get("port"))
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    protocol = port.get("protocol", "TCP")
    for container in (pod.get("spec") or {}).get("containers") or []:
        for container_port in container.get("ports") or []:
            if container_port.get("name") == target and container_port.get("protocol", "TCP") == protocol:
                return container_port.get("containerPort")
    return None
