"""`kubectl describe` for Endpoints, EndpointSlices and ServiceAccounts.

Key decisions: the lines of kubectl's EndpointsDescriber (one block per subset, then a blank
line), EndpointSliceDescriber (v1: each endpoint's addresses, ready condition, hostname,
target, node and zone, `<unset>` where absent) and ServiceAccountDescriber as of kubectl 1.37
(image pull secrets only: legacy token secrets are no longer listed). Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime

from kubetui.model.describe.events import describe_events
from kubetui.model.describe.fields import print_annotations, print_labels
from kubetui.model.describe.writer import PrefixWriter, go_bool, go_value

__all__ = ["describe_endpoint_slice", "describe_endpoints", "describe_service_account"]

_PULL_HEADER = "Image pull secrets:"


def _header(w: PrefixWriter, obj: dict, *, namespaced: bool = True) -> None:
    meta = obj.get("metadata") or {}
    w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
    if namespaced:
        w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))


def describe_endpoints(endpoints: dict, events: list[dict] | None, now: datetime) -> str:
    w = PrefixWriter()
    _header(w, endpoints)
    w.write(0, "Subsets:\n")
    for subset in endpoints.get("subsets") or ():
        if not isinstance(subset, dict):
            continue
        for field, title in (("addresses", "Addresses"), ("notReadyAddresses", "NotReadyAddresses")):
            ips = ",".join(_s((a or {}).get("ip")) for a in subset.get(field) or ())
            w.write(1, f"{title}:\t{ips or '<none>'}\n")
        ports = [p for p in subset.get("ports") or () if isinstance(p, dict)]
        if ports:
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for port in ports:
                w.write(2, f"{_s(port.get('name')) or '<unset>'}\t{_i(port.get('port'))}\t{_s(port.get('protocol'))}\n")
        w.write(0, "\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def describe_endpoint_slice(endpoint_slice: dict, events: list[dict] | None, now: datetime) -> str:
    w = PrefixWriter()
    _header(w, endpoint_slice)
    w.write(0, f"AddressType:\t{_s(endpoint_slice.get('addressType'))}\n")
    ports = [p for p in endpoint_slice.get("ports") or () if isinstance(p, dict)]
    if not ports:
        w.write(0, "Ports: <unset>\n")
    else:
        w.write(0, "Ports:\n")
        w.write(1, "Name\tPort\tProtocol\n")
        w.write(1, "----\t----\t--------\n")
        for port in ports:
            number = "<unset>" if port.get("port") is None else str(_i(port.get("port")))
            w.write(1, f"{_s(port.get('name')) or '<unset>'}\t{number}\t{_s(port.get('protocol'))}\n")
    endpoints = [e for e in endpoint_slice.get("endpoints") or () if isinstance(e, dict)]
    if not endpoints:
        w.write(0, "Endpoints: <none>\n")
    else:
        w.write(0, "Endpoints:\n")
        for endpoint in endpoints:
            addresses = ", ".join(_s(a) for a in endpoint.get("addresses") or ())
            w.write(1, f"- Addresses:\t{addresses or '<none>'}\n")
            w.write(2, "Conditions:\n")
            ready = (endpoint.get("conditions") or {}).get("ready")
            w.write(3, f"Ready:\t{'<unset>' if ready is None else go_bool(ready)}\n")
            w.write(2, f"Hostname:\t{_unset(endpoint.get('hostname'))}\n")
            target = endpoint.get("targetRef")
            if isinstance(target, dict):
                w.write(2, f"TargetRef:\t{_s(target.get('kind'))}/{_s(target.get('name'))}\n")
            w.write(2, f"NodeName:\t{_unset(endpoint.get('nodeName'))}\n")
            w.write(2, f"Zone:\t{_unset(endpoint.get('zone'))}\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def describe_service_account(account: dict, events: list[dict] | None, now: datetime) -> str:
    w = PrefixWriter()
    _header(w, account)
    names = [_s((ref or {}).get("name")) for ref in account.get("imagePullSecrets") or ()]
    if not names:
        w.write(0, f"{_PULL_HEADER}\t<none>\n")
    for index, name in enumerate(names):
        w.write(0, f"{_PULL_HEADER if index == 0 else ' ' * len(_PULL_HEADER)}\t{name}\n")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def _unset(value: object) -> str:
    return "<unset>" if value is None else _s(value)


def _s(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else go_value(value)


def _i(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
