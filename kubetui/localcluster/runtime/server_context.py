"""Where a simulated server program runs, and the building blocks every server's plan uses:
its httpGet probes, the access-log lines those probes cause, version parsing, timed log lines.

Key decision: a web server's access log holds the kubelet's probe requests only when the
container has httpGet probes on its port, one line per probe per period: nothing else ever
asks it, so no traffic is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from kubetui.localcluster.sandbox.run_plan import STDOUT, LogLine, Periodic

ACCESS_TIME = "{t:%d/%b/%Y:%H:%M:%S +0000}"
PROBE_AGENT = "kube-probe/1.37"


@dataclass(frozen=True)
class HttpProbe:
    """An httpGet probe the kubelet sends to the container (readiness, liveness, startup)."""

    port: int
    path: str = "/"
    period: float = 10.0
    delay: float = 0.0


@dataclass(frozen=True)
class ServerContext:
    """What a server needs to know about where it runs."""

    pod_ip: str = "10.244.1.2"
    gateway_ip: str = "10.244.1.1"
    env: Mapping[str, str] = field(default_factory=dict)
    ports_in_use: frozenset[int] = frozenset()
    args: tuple[str, ...] = ()
    probes: tuple[HttpProbe, ...] = ()

    def version(self, key: str, default: str) -> str:
        return self.env.get(key) or default


def http_probes(container: Mapping) -> tuple[HttpProbe, ...]:
    """The container's httpGet probes, named ports resolved through its declared ports."""
    named = {p.get("name"): p.get("containerPort") for p in container.get("ports") or []
             if isinstance(p, dict) and p.get("name")}
    probes = []
    for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
        probe = container.get(kind)
        action = probe.get("httpGet") if isinstance(probe, dict) else None
        if not isinstance(action, dict):
            continue
        port = named.get(action.get("port"), action.get("port"))
        if isinstance(port, int):
            probes.append(HttpProbe(port, str(action.get("path") or "/"),
                                    float(probe.get("periodSeconds") or 10),
                                    float(probe.get("initialDelaySeconds") or 0)))
    return tuple(probes)


def probe_traffic(ctx: ServerContext, port: int, line: Callable[[str], str]) -> Periodic | None:
    """The access-log lines the kubelet's probes cause, one per probe per period; None when
    no probe asks this port (no invented traffic)."""
    probes = [probe for probe in ctx.probes if probe.port == port]
    if not probes:
        return None
    first = min(probe.delay for probe in probes) + 1.0
    lines = tuple(LogLine(0.0, line(probe.path), STDOUT, True) for probe in probes)
    return Periodic(first, probes[0].period, lines)


def version_tuple(version: str) -> tuple[int, int]:
    numbers = [int(part) for part in version.split(".")[:2] if part.isdigit()]
    return tuple((numbers + [0, 0])[:2])  # type: ignore[return-value]


def log_lines(at: float, texts: list[str], stream: str = STDOUT, timed: bool = False):
    return tuple(LogLine(at, text, stream, timed) for text in texts)
