"""Which local port goes to which pod port, as `kubectl port-forward` works it out.

Pure rules from kubectl's portforward.go and its `util` lookups: a pod's named port is its
container's `ports[].name`; for `svc/NAME` the remote port is a *service* port (by number or
name), translated to its `targetPort` (a number, a container port name, or, when omitted, the
service port itself). A bare named port forwards from the same number locally. The messages
are kubectl's, capitals included (`Pod 'x' does not have a named port 'http'`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the grammar's dataclasses cost ~25 ms to define: off the start-up path
    from kubetui.model.kubectl_grammar import PortMapping


class PortError(ValueError):
    """A port that cannot be resolved; the text is kubectl's (after `error: `)."""


@dataclass(frozen=True)
class ForwardedPort:
    local: int   # 0: any free port, chosen when listening
    remote: int


def container_port_by_name(pod: dict, name: str) -> int:
    for container in (pod.get("spec") or {}).get("containers") or []:
        for port in container.get("ports") or []:
            if port.get("name") == name and port.get("containerPort"):
                return int(port["containerPort"])
    raise PortError(f"Pod '{(pod.get('metadata') or {}).get('name', '')}' does not have a named port '{name}'")


def _service_port_by_name(service: dict, name: str) -> int:
    for port in (service.get("spec") or {}).get("ports") or []:
        if port.get("name") == name:
            return int(port["port"])
    raise PortError(f"Service '{(service.get('metadata') or {}).get('name', '')}' does not have a named port '{name}'")


def _target_of(service: dict, pod: dict, port: int) -> int:
    for spec in (service.get("spec") or {}).get("ports") or []:
        if spec.get("port") != port:
            continue
        target = spec.get("targetPort")
        if target in (None, 0, "", "0"):
            return port
        if isinstance(target, int) or str(target).isdigit():
            return int(target)
        return container_port_by_name(pod, str(target))
    raise PortError(f"Service {(service.get('metadata') or {}).get('name', '')} does not have a service port {port}")


def resolve(mappings: tuple[PortMapping, ...] | list[PortMapping], pod: dict,
            service: dict | None = None) -> list[ForwardedPort]:
    """The numeric ports of `mappings` (`model.kubectl_grammar.port_mapping`'s) for `pod`,
    through `service` when the target was `svc/NAME`."""
    resolved = []
    for mapping in mappings:
        remote_text = mapping.remote
        local = mapping.local  # None: same as the remote (a bare `8080` or `http`)
        if service is not None:
            if remote_text.isdigit():
                port = int(remote_text)
            else:
                port = _service_port_by_name(service, remote_text)
            remote = _target_of(service, pod, port)
            if local is None:
                local = port
        else:
            remote = int(remote_text) if remote_text.isdigit() else container_port_by_name(pod, remote_text)
            if local is None:
                local = remote
        resolved.append(ForwardedPort(local, remote))
    return resolved

