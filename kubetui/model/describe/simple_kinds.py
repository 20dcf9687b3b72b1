"""`kubectl describe` for Namespaces, Services, ConfigMaps and Secrets.

Key decisions: a Namespace's quotas and limit ranges are passed as None when the server does
not serve them (kubectl then prints neither section), as lists otherwise (`No resource quota.`
when empty); a Service's endpoints come from its EndpointSlices (empty when the server has
none or does not serve them: `<none>`, as kubectl shows it); a ConfigMap's keys are sorted; a
Secret shows the size of each value, never the value (but a service account token's).
Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime

from kubetui.model.describe.events import describe_events
from kubetui.model.describe.fields import format_labels, print_annotations, print_labels, quantity_text
from kubetui.model.describe.writer import PrefixWriter, go_value, rfc1123z
from kubetui.model.go_sort import go_sort

__all__ = ["describe_config_map", "describe_namespace", "describe_secret", "describe_service"]

_SCOPE_HELP = {
    "Terminating": "Matches all pods that have an active deadline. These pods have a limited lifespan on a node "
                   "before being actively terminated by the system.",
    "NotTerminating": "Matches all pods that do not have an active deadline. These pods usually include long "
                      "running pods whose container command is not expected to terminate.",
    "BestEffort": "Matches all pods that do not have resource requirements set. These pods have a best effort "
                  "quality of service.",
    "NotBestEffort": "Matches all pods that have at least one resource requirement set. These pods have a "
                     "burstable or guaranteed quality of service.",
}


def describe_namespace(namespace: dict, quotas: list[dict] | None, limit_ranges: list[dict] | None,
                       tz=None) -> str:
    meta, status = namespace.get("metadata") or {}, namespace.get("status") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Status:\t{_s(status.get('phase'))}\n")
    conditions = [c for c in status.get("conditions") or () if isinstance(c, dict)]
    if conditions:
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(1, f"{_s(c.get('type'))}\t{_s(c.get('status'))}\t{rfc1123z(c.get('lastTransitionTime'), tz)}\t"
                       f"{_s(c.get('reason'))}\t{_s(c.get('message'))}\n")
    if quotas is not None:
        w.write(0, "\n")
        _quotas(quotas, w)
    if limit_ranges is not None:
        w.write(0, "\n")
        _limit_ranges(limit_ranges, w)
    return w.text()


def _quotas(quotas: list[dict], w: PrefixWriter) -> None:
    if not quotas:
        w.write(0, "No resource quota.\n")
        return
    items = list(quotas)
    go_sort(items, lambda a, b: _s((a.get("metadata") or {}).get("name")) < _s((b.get("metadata") or {}).get("name")))
    w.write(0, "Resource Quotas\n")
    for quota in items:
        spec, status = quota.get("spec") or {}, quota.get("status") or {}
        w.write(1, f"Name:\t{_s((quota.get('metadata') or {}).get('name'))}\n")
        scopes = sorted(_s(scope) for scope in spec.get("scopes") or ())
        if scopes:
            w.write(1, f"Scopes:\t{', '.join(scopes)}\n")
            for scope in scopes:
                if _SCOPE_HELP.get(scope):
                    w.write(1, f"* {_SCOPE_HELP[scope]}\n")
        w.write(1, "Resource\tUsed\tHard\n")
        w.write(1, "--------\t---\t---\n")
        hard, used = status.get("hard") or {}, status.get("used") or {}
        for name in sorted(hard):
            w.write(1, f"{name}\t{quantity_text(used.get(name, '0'))}\t{quantity_text(hard[name])}\n")


def _limit_ranges(limit_ranges: list[dict], w: PrefixWriter) -> None:
    if not limit_ranges:
        w.write(0, "No LimitRange resource.\n")
        return
    w.write(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
    w.write(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
    for limit_range in limit_ranges:
        for item in (limit_range.get("spec") or {}).get("limits") or ():
            if not isinstance(item, dict):
                continue
            columns = [item.get(field) or {} for field in ("min", "max", "defaultRequest", "default",
                                                            "maxLimitRequestRatio")]
            # kubectl walks a Go map here (random order); sorted names are one of its orders.
            names = sorted({name for column in columns for name in column})
            for name in names:
                values = [quantity_text(column[name]) if name in column else "-" for column in columns]
                w.write(0, f" {_s(item.get('type'))}\t{name}\t" + "\t".join(values) + "\n")


def describe_service(service: dict, endpoint_slices: list[dict], events: list[dict] | None,
                     now: datetime) -> str:
    meta, spec = service.get("metadata") or {}, service.get("spec") or {}
    status = service.get("status") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
    w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{_s(spec.get('type'))}\n")
    if spec.get("ipFamilyPolicy") is not None:
        w.write(0, f"IP Family Policy:\t{_s(spec['ipFamilyPolicy'])}\n")
    families = [_s(f) for f in spec.get("ipFamilies") or ()]
    w.write(0, f"IP Families:\t{','.join(families) if families else '<none>'}\n")
    w.write(0, f"IP:\t{_s(spec.get('clusterIP'))}\n")
    cluster_ips = [_s(ip) for ip in spec.get("clusterIPs") or ()]
    w.write(0, f"IPs:\t{','.join(cluster_ips) if cluster_ips else '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(_s(ip) for ip in spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"Desired LoadBalancer IP:\t{_s(spec['loadBalancerIP'])}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{_s(spec['externalName'])}\n")
    ingress = [i for i in (status.get("loadBalancer") or {}).get("ingress") or () if isinstance(i, dict)]
    if ingress:
        w.write(0, f"LoadBalancer Ingress:\t{_ingress_text(ingress)}\n")
    for port in spec.get("ports") or ():
        if not isinstance(port, dict):
            continue
        name = _s(port.get("name")) or "<unset>"
        protocol = _s(port.get("protocol"))
        w.write(0, f"Port:\t{name}\t{_i(port.get('port'))}/{protocol}\n")
        target = port.get("targetPort")
        w.write(0, f"TargetPort:\t{_i(target) if isinstance(target, int) else _s(target)}/{protocol}\n")
        if _i(port.get("nodePort")):
            w.write(0, f"NodePort:\t{name}\t{_i(port['nodePort'])}/{protocol}\n")
        w.write(0, f"Endpoints:\t{_endpoints_text(endpoint_slices, _s(port.get('name')))}\n")
    w.write(0, f"Session Affinity:\t{_s(spec.get('sessionAffinity'))}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{_s(spec['externalTrafficPolicy'])}\n")
    if spec.get("internalTrafficPolicy") is not None:
        w.write(0, f"Internal Traffic Policy:\t{_s(spec['internalTrafficPolicy'])}\n")
    if _i(spec.get("healthCheckNodePort")):
        w.write(0, f"HealthCheck NodePort:\t{_i(spec['healthCheckNodePort'])}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(0, f"LoadBalancer Source Ranges:\t{','.join(_s(r) for r in spec['loadBalancerSourceRanges'])}\n")
    if spec.get("trafficDistribution"):
        w.write(0, f"Traffic Distribution:\t{_s(spec['trafficDistribution'])}\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def _ingress_text(ingress: list[dict]) -> str:
    parts = []
    for entry in ingress:
        if entry.get("ip"):
            parts.append(_s(entry["ip"]) + (f" ({_s(entry['ipMode'])})" if entry.get("ipMode") is not None else ""))
        else:
            parts.append(_s(entry.get("hostname")))
    return ", ".join(parts)


def _endpoints_text(slices: list[dict], port_name: str) -> str:
    """`formatEndpointSlices`: up to three ready `address:port`, then `+ N more...`."""
    if not slices:
        return "<none>"
    shown: list[str] = []
    limit, more, count = 3, False, 0
    for endpoint_slice in slices:
        endpoints = [e for e in endpoint_slice.get("endpoints") or () if isinstance(e, dict)]
        ports = [p for p in endpoint_slice.get("ports") or () if isinstance(p, dict)]
        if not ports:
            for endpoint in endpoints:
                if len(shown) == limit:
                    more = True
                if not _ready(endpoint):
                    continue
                if not more:
                    shown.append(_s((endpoint.get("addresses") or [""])[0]))
                count += 1
            continue
        for port in ports:
            if _s(port.get("name")) != port_name:
                continue
            for endpoint in endpoints:
                if len(shown) == limit:
                    more = True
                address = _s((endpoint.get("addresses") or [""])[0])
                if not _ready(endpoint):
                    continue
                if not more:
                    host = f"[{address}]" if ":" in address else address
                    shown.append(f"{host}:{_i(port.get('port'))}")
                count += 1
    text = ",".join(shown)
    return f"{text} + {count - limit} more..." if more else text


def _ready(endpoint: dict) -> bool:
    ready = (endpoint.get("conditions") or {}).get("ready")
    return ready is None or ready is True


def describe_config_map(config_map: dict, events: list[dict] | None, now: datetime) -> str:
    meta = config_map.get("metadata") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
    w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, "\nData\n====\n")
    data = config_map.get("data") or {}
    for key in sorted(data):
        w.write(0, f"{key}:\n----\n")
        w.write(0, f"{_s(data[key])}\n")
        w.write(0, "\n")
    w.write(0, "\nBinaryData\n====\n")
    binary = config_map.get("binaryData") or {}
    for key in sorted(binary):
        w.write(0, f"{key}: {_decoded_size(binary[key])} bytes\n")
    w.write(0, "\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def describe_secret(secret: dict) -> str:
    """`describeSecret`: values are shown by size only; kubectl shows no events for secrets."""
    meta = secret.get("metadata") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
    w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    kind = _s(secret.get("type"))
    w.write(0, f"\nType:\t{kind}\n")
    w.write(0, "\nData\n====\n")
    data = secret.get("data") or {}
    for key in sorted(data):  # kubectl walks a Go map here; sorted is one of its orders
        if key == "token" and kind == "kubernetes.io/service-account-token":
            import base64
            import binascii

            try:
                token = base64.b64decode(_s(data[key])).decode("utf-8", "replace")
            except (binascii.Error, ValueError):
                token = ""
            w.write(0, f"{key}:\t{token}\n")
        else:
            w.write(0, f"{key}:\t{_decoded_size(data[key])} bytes\n")
    return w.text()


def _decoded_size(encoded: object) -> int:
    import base64
    import binascii

    try:
        return len(base64.b64decode(_s(encoded), validate=False))
    except (binascii.Error, ValueError):
        return 0


def _s(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else go_value(value)


def _i(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0

