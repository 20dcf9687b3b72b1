"""Which cluster we talk to: kubeconfig discovery, contexts, and an ApiClient per context.

Follows kubectl's rules: `--kubeconfig`, else `$KUBECONFIG` (colon-separated files, merged),
else `~/.kube/config`; `--context` overrides current-context; `-n` overrides the context's
namespace, which defaults to `default`. TLS verification is never switched off here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kubetui.errors import KubetuiError

NO_KUBECONFIG_MESSAGE = (
    "no kubeconfig found (looked at {where}). Point --kubeconfig or $KUBECONFIG at one, "
    "or run `kubetui demo` to try kubetui on a built-in local cluster."
)


@dataclass(frozen=True)
class ContextInfo:
    name: str
    cluster: str
    user: str
    namespace: str


@dataclass
class Connection:
    """An API client bound to one context, with what the UI shows about it."""

    api_client: object = field(repr=False)
    kubeconfig: str
    context: str
    server: str
    namespace: str
    contexts: list[ContextInfo]

    def close(self) -> None:
        close = getattr(self.api_client, "close", None)
        if close:
            try:
                close()
            except Exception:  # closing a pool must never mask the real error
                pass


def kubeconfig_paths(explicit: str | None) -> list[str]:
    """The kubeconfig files kubectl would read, existing ones only."""
    if explicit:
        candidates = [explicit]
    elif os.environ.get("KUBECONFIG"):
        candidates = [p for p in os.environ["KUBECONFIG"].split(os.pathsep) if p]
    else:
        candidates = [str(Path.home() / ".kube" / "config")]
    if explicit and not Path(explicit).expanduser().is_file():
        raise KubetuiError(f"kubeconfig {explicit} does not exist", "No kubeconfig")
    found = [str(Path(p).expanduser()) for p in candidates if Path(p).expanduser().is_file()]
    if not found:
        raise KubetuiError(NO_KUBECONFIG_MESSAGE.format(where=", ".join(candidates)), "No kubeconfig")
    return found


def list_contexts(kubeconfig: str) -> tuple[list[ContextInfo], str | None]:
    """All contexts of a kubeconfig (merged list when it names several files) and the current one."""
    from kubernetes.config import kube_config  # lazy: the client costs ~0.3 s to import

    try:
        contexts, active = kube_config.list_kube_config_contexts(config_file=kubeconfig)
    except Exception as exc:  # malformed YAML, missing keys, ...
        raise KubetuiError(f"cannot read kubeconfig {kubeconfig}: {exc}", "Bad kubeconfig") from None
    infos = [
        ContextInfo(
            name=c["name"],
            cluster=c.get("context", {}).get("cluster", ""),
            user=c.get("context", {}).get("user", ""),
            namespace=c.get("context", {}).get("namespace") or "default",
        )
        for c in contexts or []
    ]
    return infos, (active or {}).get("name")


def connect(kubeconfig: str | None = None, context: str | None = None, namespace: str | None = None) -> Connection:
    """Build an ApiClient for a context. Does not talk to the server yet (see `probing.check`)."""
    from kubernetes import config as kconfig

    paths = kubeconfig_paths(kubeconfig)
    joined = os.pathsep.join(paths)
    contexts, active = list_contexts(joined)
    name = context or active
    if not contexts:
        raise KubetuiError(f"kubeconfig {joined} defines no contexts", "Bad kubeconfig")
    if name is None:
        raise KubetuiError(f"kubeconfig {joined} has no current-context; pass --context", "No context")
    info = next((c for c in contexts if c.name == name), None)
    if info is None:
        known = ", ".join(c.name for c in contexts)
        raise KubetuiError(f'context "{name}" does not exist (known: {known})', "No such context")
    try:
        api_client = kconfig.new_client_from_config(config_file=joined, context=name)
    except Exception as exc:
        raise KubetuiError(f"cannot use context {name}: {exc}", "Bad kubeconfig") from None
    return Connection(
        api_client=api_client,
        kubeconfig=joined,
        context=name,
        server=api_client.configuration.host,
        namespace=namespace or info.namespace,
        contexts=contexts,
    )
