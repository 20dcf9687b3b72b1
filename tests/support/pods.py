"""The one pod factory: a v1 Pod manifest as a plain dict, with defaults a test overrides only
where its point lies (a name, containers, labels, a node, a status).

    pod_manifest("web")                                   # one nginx container named main
    pod_manifest("db", container("redis", "redis:7"), labels={"app": "db"}, node="kind-worker")
"""

from __future__ import annotations

from typing import Any

SLEEP = ["sleep", "3600"]  # busybox and alpine exit at once without a long-running command


def container(name: str = "main", image: str = "nginx:1.27", command: list[str] | None = None,
              **fields: Any) -> dict:
    """One entry of spec.containers; `fields` adds the rest (ports, resources, args ...)."""
    body: dict = {"name": name, "image": image}
    if command is not None:
        body["command"] = list(command)
    return {**body, **fields}


def sleeper(name: str = "app", image: str = "busybox") -> dict:
    """A container that keeps running, as long as a test needs it."""
    return container(name, image, SLEEP)


def script_container(name: str, script: str, image: str = "busybox:1.36") -> dict:
    """A container running a shell script (the simulated kubelet runs it: echo, sleep, exit)."""
    return container(name, image, ["sh", "-c", script])


def pod_manifest(name: str = "web", *containers: dict, namespace: str | None = None,
                 labels: dict | None = None, annotations: dict | None = None, node: str | None = None,
                 status: dict | None = None, metadata: dict | None = None, **spec: Any) -> dict:
    """A Pod named `name` with `containers` (by default one `container()`); `metadata` and `spec`
    add or replace fields of those sections, `status` adds the status section."""
    assert all(isinstance(entry, dict) for entry in containers), f"containers are dicts (see container()): {containers}"
    meta: dict = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    if labels is not None:
        meta["labels"] = dict(labels)
    if annotations is not None:
        meta["annotations"] = dict(annotations)
    meta.update(metadata or {})
    pod_spec: dict = {"containers": list(containers) or [container()]}
    if node is not None:
        pod_spec["nodeName"] = node
    pod_spec.update(spec)
    manifest = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": pod_spec}
    if status is not None:
        manifest["status"] = status
    return manifest
