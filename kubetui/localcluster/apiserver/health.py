"""/healthz, /livez and /readyz as kube-apiserver answers them.

Key decisions: the named checks are kube-apiserver's own (ping, log, etcd, the post-start
hooks...), each reachable on its own (`/readyz/etcd`) and listed with `?verbose`
(`[+]etcd ok` ... `readyz check passed`), with `?exclude=` honoured. Every check passes: the
store is in-process, so once the server answers it is live and ready.
"""

from __future__ import annotations

from aiohttp import web

_HOOKS = (
    "start-apiserver-admission-initializer", "generic-apiserver-start-informers",
    "priority-and-fairness-config-consumer", "priority-and-fairness-filter",
    "storage-object-count-tracker-hook", "start-apiextensions-informers",
    "start-apiextensions-controllers", "crd-informer-synced", "start-system-namespaces-controller",
    "start-cluster-authentication-info-controller", "start-kube-apiserver-identity-lease-controller",
    "start-kube-apiserver-identity-lease-garbage-collector", "start-legacy-token-tracking-controller",
    "start-service-ip-repair-controllers", "rbac/bootstrap-roles",
    "scheduling/bootstrap-system-priority-classes", "priority-and-fairness-config-producer",
    "bootstrap-controller", "start-kubernetes-service-cidr-controller",
    "aggregator-reload-proxy-client-cert", "start-kube-aggregator-informers",
    "apiservice-status-local-available-controller", "apiservice-status-remote-available-controller",
    "apiservice-registration-controller", "apiservice-discovery-controller",
    "kube-apiserver-autoregistration",
)
_LIVE = ("ping", "log", "etcd", "kms-providers",
         *(f"poststarthook/{hook}" for hook in _HOOKS), "autoregister-completion",
         "poststarthook/apiservice-openapi-controller", "poststarthook/apiservice-openapiv3-controller")
CHECKS = {
    "healthz": _LIVE,
    "livez": _LIVE,
    "readyz": ("ping", "log", "etcd", "etcd-readiness", "kms-providers", "informer-sync",
               *_LIVE[4:], "shutdown"),
}


def _text(body: str, status: int = 200) -> web.Response:
    response = web.Response(text=body, status=status, content_type="text/plain", charset="utf-8")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def health_response(path: str, query) -> web.Response | None:
    """The answer for a health path, or None when `path` is not one."""
    endpoint, _, check = path.strip("/").partition("/")
    checks = CHECKS.get(endpoint)
    if checks is None:
        return None
    if check:
        return _text("ok") if check in checks else _text("404 page not found\n", 404)
    excluded = {name for value in query.getall("exclude", []) for name in value.split(",") if name}
    if "verbose" not in query:
        return _text("ok")
    lines = [f"[+]{name} excluded: ok" if name in excluded else f"[+]{name} ok" for name in checks]
    return _text("\n".join(lines) + f"\n{endpoint} check passed\n")
