"""The pod and the port numbers a `port-forward POD|TYPE/NAME [LOCAL:]REMOTE...` means, found as kubectl finds them.

kubectl resolves everything on the client: `TYPE/NAME` becomes one of its pods (a Service,
Deployment, ReplicaSet... through its selector, the first as kubectl sorts them), named ports
and a Service's ports become container port numbers (model/forward_ports.py), and a pod that
is not Running is refused before any connection is made. The error texts are kubectl's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kubetui.errors import KubetuiError
from kubetui.model.forward_ports import ForwardedPort, PortError, resolve
from kubetui.model.kubectl_grammar import PortMapping

TITLE = "Port-forward"


@dataclass(frozen=True)
class ForwardTarget:
    namespace: str
    pod: dict
    ports: tuple[ForwardedPort, ...]

    @property
    def pod_name(self) -> str:
        return self.pod["metadata"]["name"]


def find_target(api_client: Any, server: str, namespace: str, argument: str,
                mappings: tuple[PortMapping, ...] | list[PortMapping]) -> ForwardTarget:
    """Blocking (a worker thread or the CLI); KubetuiError in kubectl's words."""
    from kubetui.kube.kubectl_errors import kubectl_error_text
    from kubetui.kube.log_objects import NotLoggable, UnknownResourceType, WaitedTooLong, find_object, pods_of

    try:
        found = find_object(api_client, namespace, argument)
        pod = found.obj if found.is_pod else pods_of(api_client, namespace, found.pod_selector())[0]
    except (UnknownResourceType, WaitedTooLong) as problem:
        raise KubetuiError(f"error: {problem}", TITLE) from None
    except (NotLoggable, ValueError) as problem:
        raise KubetuiError(f"error: {str(problem).replace('get the logs from', 'attach to')}", TITLE) from None
    except Exception as exc:  # ApiException (404), transport errors
        raise KubetuiError(kubectl_error_text(exc, server, request=f"get {argument}", listing=False), TITLE) from None
    try:
        ports = resolve(mappings, pod, found.obj if found.kind.plural == "services" else None)
    except PortError as problem:
        raise KubetuiError(f"error: {problem}", TITLE) from None
    phase = (pod.get("status") or {}).get("phase", "")
    if phase != "Running":
        raise KubetuiError(f"error: unable to forward port because pod is not running. Current status={phase}",
                           TITLE)
    return ForwardTarget(namespace, pod, tuple(ports))
