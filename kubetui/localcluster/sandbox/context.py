"""Build the JSON "context" a simulated exec session needs, from the pod object alone.

`build_context(pod, container, node_ip)` is pure (the clock and store lookups are
parameters), so what a container shows is testable without a server. The result holds the
identity (pod, container, image, hostname, IPs), the /etc files, the environment, the
mounts, every process of every container of the pod (the shell shows only its own
container's, unless the pod shares its process namespace) and every listening socket (the
pod shares one network namespace, so all containers see all sockets), and the memory and
CPU bounds the exec process puts on itself (bounds.py).
"""

from __future__ import annotations

import hashlib
import posixpath
import time
from datetime import datetime
from typing import Iterable, Mapping

from kubetui.localcluster.images.catalogue import ImageInfo, Listener, ProcessTemplate, lookup_image
from kubetui.localcluster.sandbox.bounds import DEFAULT_CPU_SECONDS, container_limits
from kubetui.localcluster.sandbox.etcfiles import hosts_file, pod_hostname, resolv_conf
from kubetui.localcluster.sandbox.podenv import Lookup, container_env
from kubetui.localcluster.sandbox.volumes import container_mounts

CONTEXT_VERSION = 1


class ContextError(ValueError):
    """The pod has no container of that name."""


def _parse_time(value: str | None, default: float) -> float:
    if not value:
        return default
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return default


def _derived_ip(seed: str, prefix: str = "10.244.0.") -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    return f"{prefix}{2 + digest[0] % 250}"


def effective_argv(container: dict, image: ImageInfo) -> list[str]:
    """What the runtime starts: Kubernetes' command/args rules over ENTRYPOINT/CMD."""
    command, args = container.get("command"), container.get("args")
    if command:
        return list(command) + list(args or [])
    if args:
        return list(image.entrypoint) + list(args)
    return list(image.default_argv)


def _runs_daemon(argv: list[str], image: ImageInfo) -> bool:
    names = [posixpath.basename(a) for a in argv[:2]]
    return bool(image.daemon) and image.daemon in names


def _main_processes(container: dict, image: ImageInfo) -> tuple[list[ProcessTemplate],
                                                                 list[Listener]]:
    argv = effective_argv(container, image)
    if _runs_daemon(argv, image) and image.processes:
        return list(image.processes), list(image.listeners)
    if not argv:
        argv = ["/" + image.repository.rsplit("/", 1)[-1]]
    comm = posixpath.basename(argv[0])[:15]
    process = ProcessTemplate(1, image.user, " ".join(argv), comm, 2456, 1024, "Ss")
    listeners = []
    if not image.known:  # an unknown program: trust the declared containerPorts
        for index, port in enumerate(container.get("ports") or []):
            if (port.get("protocol") or "TCP") == "TCP" and port.get("containerPort"):
                listeners.append(Listener(int(port["containerPort"]), "0.0.0.0", comm, 1,
                                          3 + index))
    return [process], listeners


def _families(address: str) -> set[int]:
    return {4, 6} if address == "*" else ({6} if address.startswith("[") else {4})


def _running_containers(pod: dict, containers: list[dict], now: float) -> list[tuple[dict, float]]:
    """(container, start time) of those that run now, in the order they started: a container
    whose status says it is not running has no process and holds no port. Without any status
    (a pod built by hand) every container counts as running."""
    status = pod.get("status") or {}
    statuses = {s.get("name"): s for key in ("containerStatuses", "initContainerStatuses",
                                             "ephemeralContainerStatuses")
                for s in status.get(key) or []}
    found = []
    for index, container in enumerate(containers):
        entry = statuses.get(container.get("name"))
        running = ((entry or {}).get("state") or {}).get("running")
        if entry is not None and running is None:
            continue
        found.append((index, _parse_time((running or {}).get("startedAt"), now), container))
    return [(container, started) for _, started, container in sorted(found, key=lambda f: (f[1], f[0]))]


def _process_entries(pod: dict, containers: list[dict], shared: bool,
                     now: float) -> tuple[list[dict], list[dict]]:
    processes: list[dict] = []
    sockets: list[dict] = []
    bound: set[tuple[str, int, int]] = set()  # (proto, family, port): one network namespace
    next_pid = 7  # with a shared namespace /pause is PID 1 and containers follow
    if shared:
        processes.append({"container": "", "pid": 1, "ppid": 0, "user": "65535",
                          "command": "/pause", "comm": "pause", "vsz": 1020, "rss": 4,
                          "stat": "Ss", "started": now})
    for container, started in _running_containers(pod, containers, now):
        name = container.get("name", "")
        image = lookup_image(container.get("image", ""))
        templates, listeners = _main_processes(container, image)
        pid_map: dict[int, int] = {}
        for template in templates:
            pid = template.pid
            if shared:
                pid, next_pid = next_pid, next_pid + 6
            pid_map[template.pid] = pid
            processes.append({"container": name, "pid": pid,
                              "ppid": 0 if template.pid == 1 and not shared else pid_map.get(1, 1),
                              "user": template.user, "command": template.title,
                              "comm": template.comm, "vsz": template.vsz, "rss": template.rss,
                              "stat": template.stat, "started": started})
        for listener in listeners:
            wanted = {(listener.proto, family, listener.port) for family in _families(listener.address)}
            if wanted & bound:
                continue  # the port was taken first: this program's bind() failed
            bound |= wanted
            sockets.append({"container": name, "proto": listener.proto,
                            "address": listener.address, "port": listener.port,
                            "process": listener.process, "pid": pid_map.get(listener.pid, 1),
                            "fd": listener.fd, "backlog": listener.backlog})
    return processes, sockets


def _joined(processes: list[dict], container: str, target: str) -> list[dict]:
    """The processes with `container`'s renumbered into `target`'s PID namespace."""
    base = max([p["pid"] for p in processes if p["container"] == target], default=0)
    return [dict(p, pid=p["pid"] + base, ppid=0 if p["ppid"] == 0 else p["ppid"] + base)
            if p["container"] == container else p for p in processes]


def build_context(pod: dict, container: str, node_ip: str, *, lookup: Lookup | None = None,
                  services: Iterable[dict] = (), exec_pid: int | None = None,
                  now: float | None = None, cpu_seconds: float = DEFAULT_CPU_SECONDS,
                  written: Mapping[str, tuple[str, float]] | None = None,
                  volume_files: Mapping[str, Mapping[str, tuple[str, float]]] | None = None,
                  layer: str | None = None, volume_layers: Mapping[str, str] | None = None) -> dict:
    """Everything the simulated shell needs for an exec into `container` of `pod`.

    `written`: files the container's own program wrote, `volume_files` what the pod's
    programs wrote into each shared volume (path -> (text, mtime)); `layer`/`volume_layers`: the files that keep the
    container's and each shared volume's changes between sessions (layers.py)."""
    now = time.time() if now is None else now
    metadata, spec, status = (pod.get(k) or {} for k in ("metadata", "spec", "status"))
    containers = list(spec.get("containers") or [])
    ephemerals = list(spec.get("ephemeralContainers") or [])
    chosen = next((c for c in containers + list(spec.get("initContainers") or []) + ephemerals
                   if c.get("name") == container), None)
    if chosen is None:
        raise ContextError(f"container {container} is not valid for pod {metadata.get('name')}")
    image = lookup_image(chosen.get("image", ""))
    host_network = bool(spec.get("hostNetwork"))
    node_name = spec.get("nodeName") or "node"
    hostname = node_name if host_network else pod_hostname(pod)
    pod_ip = node_ip if host_network else (
        status.get("podIP") or _derived_ip(metadata.get("uid") or metadata.get("name", "")))
    pod_ips = [p.get("ip") for p in status.get("podIPs") or [] if p.get("ip")] or [pod_ip]
    shared = bool(spec.get("shareProcessNamespace"))
    sidecars = [c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
    processes, sockets = _process_entries(pod, containers + sidecars + ephemerals, shared, now)
    # `kubectl debug --target` joins the target's process namespace: the debug container sees
    # the target's processes, and its own come after them.
    target = chosen.get("targetContainerName") or "" if chosen in ephemerals else ""
    if target and not shared:
        processes = _joined(processes, container, target)
    own = [p["pid"] for p in processes if shared or p["container"] in (container, target)]
    return {
        "version": CONTEXT_VERSION,
        "namespace": metadata.get("namespace") or "default",
        "pod": metadata.get("name", ""),
        "pod_uid": metadata.get("uid", ""),
        "node_name": node_name,
        "container": container,
        "image": chosen.get("image", ""),
        "hostname": hostname,
        "pod_ip": pod_ip,
        "node_ip": node_ip,
        "host_network": host_network,
        "share_process_namespace": shared,
        "target_container": target,
        "working_dir": chosen.get("workingDir") or image.working_dir,
        "env": [list(item) for item in container_env(pod, chosen, image.env, hostname, node_ip,
                                                     lookup, services)],
        "files": {**{path: text for path, (text, _) in (written or {}).items()},
                  "/etc/hosts": hosts_file(pod, pod_ips, node_ip),
                  "/etc/resolv.conf": resolv_conf(pod),
                  "/etc/hostname": hostname + "\n"},
        "mounts": container_mounts(pod, chosen, lookup, node_ip, volume_files, volume_layers),
        "layer": layer,
        "processes": processes,
        "sockets": sockets,
        "exec_pid": exec_pid if exec_pid is not None else max(own + [6]) + 1,
        "now": now,
        "limits": container_limits(chosen, cpu_seconds),
    }
