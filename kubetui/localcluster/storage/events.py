"""core/v1 Events as the kubelet, the scheduler and the node controller write them.

Key decisions: kubelet events use the legacy recorder's shape (source, firstTimestamp,
lastTimestamp, count, eventTime null, name `<object>.<unix-nanos hex>`) and repeat by bumping
`count` on the same object, like client-go's EventCorrelator; scheduler events use the
events.k8s.io shape seen through core/v1 (eventTime set, no timestamps or count, action
Binding), exactly as `kubectl get events -o yaml` shows them on a real cluster. Events go
through the store, so they are listable and watchable like any object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.apimachinery.clock import Clock, rfc3339, rfc3339_micro, utc_now

if TYPE_CHECKING:
    from kubetui.localcluster.storage.store import Store

NORMAL, WARNING = "Normal", "Warning"
KUBELET = "kubelet"
SCHEDULER = "default-scheduler"


def container_field_path(pod: dict, container: str) -> str:
    """`spec.containers{nginx}`, `spec.initContainers{init-1}` or
    `spec.ephemeralContainers{debugger-x}`."""
    spec = pod.get("spec") or {}
    kind = "containers"
    for key in ("initContainers", "ephemeralContainers"):
        if any(c.get("name") == container for c in spec.get(key) or []):
            kind = key
    return f"spec.{kind}{{{container}}}"


def object_reference(obj: dict, field_path: str = "") -> dict:
    meta = obj.get("metadata") or {}
    reference = {"kind": obj.get("kind") or "Pod", "apiVersion": obj.get("apiVersion") or "v1",
                 "name": meta.get("name", "")}
    if meta.get("namespace"):
        reference["namespace"] = meta["namespace"]
    reference["uid"] = meta.get("uid", "")
    if meta.get("resourceVersion"):
        reference["resourceVersion"] = meta["resourceVersion"]
    if field_path:
        reference["fieldPath"] = field_path
    return reference


class EventRecorder:
    """Writes and aggregates events; call it on the loop thread only."""

    def __init__(self, store: "Store", clock: Clock = utc_now,
                 on_error: Callable[[Exception], None] | None = None) -> None:
        self.store = store
        self.clock = clock
        self.on_error = on_error
        self._seen: dict[tuple, tuple[str, str]] = {}
        self._last_nanos = 0

    # ------------------------------------------------------------------ kubelet
    def pod_event(self, pod: dict, event_type: str, reason: str, message: str, *,
                  host: str, container: str = "") -> dict | None:
        """A kubelet event about a pod, or about one of its containers."""
        field_path = container_field_path(pod, container) if container else ""
        return self.legacy_event(object_reference(pod, field_path), event_type, reason, message,
                                 component=KUBELET, host=host)

    def node_event(self, node_name: str, event_type: str, reason: str, message: str, *,
                   component: str = KUBELET, host: str = "") -> dict | None:
        # The kubelet refers to its node by name, with the name as uid (kubelet nodeRef).
        reference = {"kind": "Node", "name": node_name, "uid": node_name}
        if component != KUBELET:
            reference = {"kind": "Node", "apiVersion": "v1", "name": node_name,
                         "uid": (self.store.get("nodes", "", node_name) or {}).get(
                             "metadata", {}).get("uid", node_name)}
        return self.legacy_event(reference, event_type, reason, message, component=component,
                                 host=host, namespace="default")

    def legacy_event(self, reference: dict, event_type: str, reason: str, message: str, *,
                     component: str, host: str = "", namespace: str = "") -> dict | None:
        namespace = namespace or reference.get("namespace") or "default"
        key = (component, host, reference.get("kind"), namespace, reference.get("name"),
               reference.get("uid"), reference.get("fieldPath", ""), event_type, reason, message)
        now = rfc3339(self.clock())
        known = self._seen.get(key)
        if known is not None:
            live = self.store.get("events", known[0], known[1])
            if live is not None:
                updated = dict(live, count=int(live.get("count") or 1) + 1, lastTimestamp=now)
                updated["metadata"] = dict(live["metadata"])
                return self._write(lambda: self.store.update("events", updated, manager=component))
        source = {"component": component}
        if host:
            source["host"] = host
        event = {
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"name": self._name(reference.get("name", "event")), "namespace": namespace},
            "involvedObject": reference, "reason": reason, "message": message, "source": source,
            "firstTimestamp": now, "lastTimestamp": now, "count": 1, "type": event_type,
            "eventTime": None, "reportingComponent": component, "reportingInstance": host,
        }
        created = self._write(lambda: self.store.create("events", event, manager=component))
        if created is not None:
            self._seen[key] = (namespace, created["metadata"]["name"])
        return created

    # ---------------------------------------------------------------- scheduler
    def scheduled(self, pod: dict, node_name: str, scheduler_host: str) -> dict | None:
        meta = pod.get("metadata") or {}
        message = f"Successfully assigned {meta.get('namespace')}/{meta.get('name')} to {node_name}"
        return self.scheduler_event(pod, NORMAL, "Scheduled", message, scheduler_host, "Binding")

    def scheduler_event(self, pod: dict, event_type: str, reason: str, message: str,
                        scheduler_host: str, action: str) -> dict | None:
        meta = pod.get("metadata") or {}
        event = {
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"name": self._name(meta.get("name", "pod")),
                         "namespace": meta.get("namespace") or "default"},
            "involvedObject": object_reference(pod), "reason": reason, "message": message,
            "source": {}, "firstTimestamp": None, "lastTimestamp": None, "type": event_type,
            "eventTime": rfc3339_micro(self.clock()), "action": action,
            "reportingComponent": SCHEDULER,
            "reportingInstance": f"{SCHEDULER}-{scheduler_host}",
        }
        return self._write(lambda: self.store.create("events", event, manager="kube-scheduler"))

    # ---------------------------------------------------------------- internals
    def _name(self, prefix: str) -> str:
        nanos = int(self.clock().timestamp() * 1_000_000) * 1000
        nanos = max(nanos, self._last_nanos + 1)  # unique even within one microsecond
        self._last_nanos = nanos
        return f"{prefix}.{nanos:x}"

    def forget(self, uid: str) -> None:
        """Drop the aggregation index of a deleted object (its events stay until they expire)."""
        for key in [key for key in self._seen if key[5] == uid]:
            del self._seen[key]

    def _write(self, action: Callable[[], dict]) -> dict | None:
        try:
            return action()
        except errors.ApiError as problem:  # e.g. the namespace is being deleted
            if self.on_error is not None:
                self.on_error(problem)
            return None
