"""`kubectl config use-context` and `kubectl config set-context ... --namespace`: the kubeconfig
changed as kubectl changes it, with kubectl's lines.

Key decisions: client-go's rules for which file is written: the current context goes to the
first kubeconfig file (of `--kubeconfig`, `$KUBECONFIG` or `~/.kube/config`), a context's
namespace to the file that defines that context (a new context to the first file). The file is
rewritten whole, keys in their order (comments are lost, as kubectl loses them), through a
temporary file renamed over it, keeping its permissions: a crash never leaves half a kubeconfig.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from kubetui.errors import KubetuiError
from kubetui.kube.kubeconfig import load, read_document

__all__ = ["set_context_namespace", "use_context"]


def use_context(paths: list[str], name: str) -> str:
    config = load(paths)
    if name not in config.contexts:
        raise KubetuiError(f'error: no context exists with the name: "{name}"', "No such context")
    document = read_document(paths[0])
    document["current-context"] = name
    _write(paths[0], document)
    return f'Switched to context "{name}".'


def set_context_namespace(paths: list[str], context: str | None, namespace: str) -> tuple[str, str]:
    """(the context's name, kubectl's line); ``context`` None: the current one (`--current`)."""
    config = load(paths)
    name = context if context is not None else config.current_context
    if not name:
        raise KubetuiError("error: current-context is not set", "No context")
    entry = config.contexts.get(name)
    target = entry.source if entry is not None else paths[0]
    document = read_document(target)
    contexts = document.setdefault("contexts", []) or []
    document["contexts"] = contexts
    item = next((c for c in contexts if isinstance(c, dict) and c.get("name") == name), None)
    if item is None:
        contexts.append({"name": name, "context": {"namespace": namespace}})
        _write(target, document)
        return name, f'Context "{name}" created.'
    body = item.get("context") or {}
    body["namespace"] = namespace
    item["context"] = body
    _write(target, document)
    return name, f'Context "{name}" modified.'


def _write(path: str, document: dict) -> None:
    target = Path(path)
    text = yaml.safe_dump(document, sort_keys=False, default_flow_style=False)
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        mode = 0o600
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        raise KubetuiError(f"error: cannot write the kubeconfig {path}: {exc.strerror or exc}",
                           "Kubeconfig not written") from None
