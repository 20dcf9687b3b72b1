"""Requests of the commands that open a session or switch where kubetui points: exec,
port-forward, `config use-context` and `config set-context --current --namespace=NS`.

Key decision for exec: kubectl's current rule, not its old one. The command comes only after
`--` (`exec POD -- CMD ARGS...`); `exec POD CMD` is refused with kubectl's words, and everything
after `--` is the command verbatim, flags and quoting included. Without `-c` the request
leaves the container to the caller, since picking it needs the pod: `kubectl_default_container`
applies kubectl's rule to it.
"""

from __future__ import annotations

import ipaddress

from kubetui.model.exec_choices import DEFAULT_CONTAINER_ANNOTATION
from kubetui.model.kubectl_grammar.flagset import GrammarError, Parsed
from kubetui.model.kubectl_grammar.go_values import parse_uint
from kubetui.model.kubectl_grammar.reading import pod_target
from kubetui.model.kubectl_grammar.requests import (
    ExecRequest, PortForwardRequest, PortMapping, SetContextNamespaceRequest, UseContextRequest,
)
from kubetui.model.kubectl_grammar.resources import ResourceTable
from kubetui.model.kubectl_grammar.selection import scope, text


def kubectl_default_container(pod: dict) -> str | None:
    """The container exec and logs use without `-c`, as kubectl picks it: the one the
    `kubectl.kubernetes.io/default-container` annotation names if the pod has it (init and
    ephemeral containers count), else the first of spec.containers."""
    spec = pod.get("spec") or {}
    containers = spec.get("containers") or []
    wanted = ((pod.get("metadata") or {}).get("annotations") or {}).get(DEFAULT_CONTAINER_ANNOTATION)
    every = [c.get("name") for key in ("containers", "initContainers", "ephemeralContainers")
             for c in spec.get(key) or []]
    if containers and wanted in every:
        return wanted
    return containers[0].get("name") if containers else None


def build_exec(parsed: Parsed, table: ResourceTable) -> ExecRequest:
    args, dash = parsed.args, parsed.args_len_at_dash
    name = args[0] if args and dash != 0 else None
    if dash > 1 or (dash < 0 and len(args) > 1):
        raise GrammarError("error: exec [POD] [COMMAND] is not supported anymore. "
                           "Use exec [POD] -- [COMMAND] instead")
    argv = tuple(args[dash:]) if dash >= 0 else ()
    if not name:
        raise GrammarError("error: pod, type/name or --filename must be specified")
    if not argv:
        raise GrammarError("error: you must specify at least one command for the container")
    return ExecRequest(target=pod_target(name, table), argv=argv, container=text(parsed, "container"),
                       stdin=parsed.get("stdin", False), tty=parsed.get("tty", False), **scope(parsed))


def _port(text: str, which: str) -> int:
    try:
        return parse_uint(text)
    except ValueError as exc:
        raise GrammarError(f"error: error parsing {which} port '{text}': {exc}") from None


def port_mapping(spec: str) -> PortMapping:
    """`8080`, `8080:80`, `:80` (any free local port) or `8080:http` / `http` (a named port)."""
    parts = spec.split(":")
    if len(parts) > 2 or (len(parts) == 2 and not parts[1]):
        raise GrammarError(f"error: invalid port format '{spec}'")
    if len(parts) == 1 and not spec.isdigit():
        return PortMapping(None, spec)
    local = _port(parts[0] or "0", "local")
    remote = parts[-1]
    if remote.isdigit() and _port(remote, "remote") == 0:
        raise GrammarError("error: remote port must be > 0")
    return PortMapping(local, remote)


def build_port_forward(parsed: Parsed, table: ResourceTable) -> PortForwardRequest:
    if len(parsed.args) < 2:
        raise GrammarError("error: TYPE/NAME and list of ports are required for port-forward")
    target = pod_target(parsed.args[0], table)
    ports = tuple(port_mapping(spec) for spec in parsed.args[1:])
    addresses = tuple(parsed.get("address", ["localhost"]))
    for address in addresses:
        if address != "localhost":
            try:
                ipaddress.ip_address(address)
            except ValueError:
                raise GrammarError(f"error: {address} is not a valid IP") from None
    return PortForwardRequest(target=target, ports=ports, addresses=addresses, **scope(parsed))


def build_use_context(parsed: Parsed, table: ResourceTable) -> UseContextRequest:
    if len(parsed.args) != 1:
        raise GrammarError("error: config use-context takes exactly one context name")
    return UseContextRequest(name=parsed.args[0], context=text(parsed, "context"))


def build_set_context(parsed: Parsed, table: ResourceTable) -> SetContextNamespaceRequest:
    current = parsed.get("current", False)
    if not parsed.args and not current:
        raise GrammarError("error: you must specify a non-empty context name or --current")
    if parsed.args and current:
        raise GrammarError("error: you cannot specify both a context name and --current")
    if len(parsed.args) > 1:
        raise GrammarError("error: config set-context takes at most one context name")
    if not parsed.has("namespace"):
        raise GrammarError('"config set-context" changes only the namespace inside kubetui: add --namespace=NS')
    return SetContextNamespaceRequest(context_name=None if current else parsed.args[0],
                                      new_namespace=parsed.get("namespace"), context=text(parsed, "context"))
