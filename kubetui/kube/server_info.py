"""`kubectl api-resources`, `kubectl version` and `kubectl cluster-info`, as kubectl prints them.

Key decisions: api-resources reads the same discovery the views resolve with (kubectl's
preferred version of each resource, its sort by group then name, its tabwriter), filtered and
printed by kubectl's rules; version prints the server's `/version` as kubectl does, and names
kubetui (and the official client) as the client, since kubetui is not kubectl; cluster-info
lists the control plane and kube-system's `kubernetes.io/cluster-service=true` services with
kubectl's proxy links. Blocking: call from a worker thread.
"""

from __future__ import annotations

from typing import Any

from kubetui.kube.printed import Printed, Scoped
from kubetui.model.resource_names import ApiResource

__all__ = ["api_resources_printed", "api_resources_text", "cluster_info_printed", "version_printed"]


def api_resources_printed(conn: Scoped, request: Any) -> Printed:
    from kubetui.kube.kubectl_errors import kubectl_error_text
    from kubetui.kube.view_kinds import resources

    try:
        served = resources(conn.api_client, fresh=True)
    except Exception as exc:
        return Printed("", kubectl_error_text(exc, conn.server, listing=False, request="get") + "\n", 1)
    return Printed(api_resources_text(served, request))


def api_resources_text(served: list[ApiResource], request: Any) -> str:
    """kubectl api-resources' table (or names) of ``served`` (discovery order, all versions)."""
    from kubetui.model.tabwriter import elastic_layout

    seen: set[tuple[str, str]] = set()
    chosen = []
    for resource in served:  # the preferred version of each resource (discovery lists it first)
        if (resource.group, resource.plural) in seen:
            continue
        seen.add((resource.group, resource.plural))
        if request.namespaced is not None and resource.namespaced != request.namespaced:
            continue
        if request.api_group is not None and resource.group != request.api_group:
            continue
        if request.verbs and not set(request.verbs) <= set(resource.verbs):
            continue
        if request.categories and not set(request.categories) <= set(resource.categories):
            continue
        chosen.append(resource)
    key = {"name": lambda r: r.plural, "kind": lambda r: r.kind}.get(request.sort_by or "", lambda r: r.group)
    chosen.sort(key=lambda r: (key(r), r.plural))
    if request.output == "name":
        return "".join(f"{r.resource_text}\n" for r in chosen)
    wide = request.output == "wide"
    lines = [] if request.no_headers else [
        ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"] + (["VERBS", "CATEGORIES"] if wide else [])]
    for r in chosen:
        row = [r.plural, ",".join(r.short_names), r.api_version, "true" if r.namespaced else "false", r.kind]
        if wide:
            row += [",".join(r.verbs), ",".join(r.categories)]
        lines.append(row)
    if not lines:
        return ""
    return elastic_layout(lines, 6, 3)  # kubectl's tabwriter: minwidth 6, padding 3


def version_printed(conn: Scoped, request: Any) -> Printed:
    from importlib.metadata import PackageNotFoundError, version

    try:
        client = {"kubetuiVersion": version("kubetui"), "kubernetesPythonClient": version("kubernetes")}
    except PackageNotFoundError:
        client = {"kubetuiVersion": "unknown", "kubernetesPythonClient": "unknown"}
    server: dict | None = None
    error = ""
    if not request.client_only:
        from kubetui.kube.api_requests import call_json
        from kubetui.kube.kubectl_errors import kubectl_error_text

        try:
            server = call_json(conn.api_client, "GET", "/version")
        except Exception as exc:
            error = kubectl_error_text(exc, conn.server, listing=False, request="get") + "\n"
    if request.output in ("yaml", "json"):
        import json

        from kubetui.kube.pod_output import object_text

        document: dict = {"clientVersion": client}
        if server is not None:
            document["serverVersion"] = server
        # kubectl version's JSON is indented by two, in the server's field order
        text = json.dumps(document, indent=2) + "\n" if request.output == "json" else object_text(document, "yaml")
        return Printed(text, error, 1 if error else 0)
    out = f"Client Version: kubetui {client['kubetuiVersion']} (kubernetes Python client " \
          f"{client['kubernetesPythonClient']})\n"
    if server is not None:
        out += f"Server Version: {server.get('gitVersion', '')}\n"
    return Printed(out, error, 1 if error else 0)


def cluster_info_printed(conn: Scoped) -> Printed:
    from kubetui.kube.api_requests import call_json
    from kubetui.kube.kubectl_errors import kubectl_error_text

    out = _running("Kubernetes control plane", conn.server)
    try:
        services = call_json(conn.api_client, "GET", "/api/v1/namespaces/kube-system/services",
                             [("labelSelector", "kubernetes.io/cluster-service=true")]) or {}
    except Exception as exc:
        return Printed(out, kubectl_error_text(exc, conn.server, listing=True, request="get services",
                                               resource='"/v1, Resource=services"') + "\n", 1)
    for service in services.get("items") or ():
        out += _running(*_service_link(service, conn.server))
    out += "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    return Printed(out)


def _running(name: str, link: str) -> str:
    return f"{name} is running at {link}\n"


def _service_link(service: dict, server: str) -> tuple[str, str]:
    """kubectl cluster-info's name and link of a cluster service."""
    meta, spec = service.get("metadata") or {}, service.get("spec") or {}
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        address = ingress[0].get("ip") or ingress[0].get("hostname") or ""
        link = "".join(f"http://{address}:{port.get('port')} " for port in spec.get("ports") or ())
    else:
        name = meta.get("name", "")
        ports = spec.get("ports") or []
        if ports:
            port = ports[0]
            scheme = "https" if port.get("name") == "https" or port.get("port") == 443 else ""
            port_name = port.get("name") or ""
            name = f"{scheme}:{name}:{port_name}" if scheme else f"{name}:{port_name}" if port_name else name
        link = f"{server.rstrip('/')}/api/v1/namespaces/{meta.get('namespace', '')}/services/{name}/proxy"
    shown = (meta.get("labels") or {}).get("kubernetes.io/name") or meta.get("name", "")
    return shown, link
