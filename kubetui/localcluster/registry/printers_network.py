"""Server-side printing of Services, Endpoints and EndpointSlices, as kube-apiserver's printers
do it.

Key decision: like every printer, a pure function of `(object, now)`; long address and port
lists are cut as upstream's listWithMoreString cuts them (three shown, then `+ N more...`).
"""

from __future__ import annotations

from kubetui.localcluster.registry.printing import (
    AGE,
    NAME,
    Column,
    Printer,
    age_of,
    format_labels,
    meta_of,
    spec_of,
    status_of,
)


def _service_external_ip(spec: dict, status: dict) -> str:
    external = list(spec.get("externalIPs") or [])
    kind = spec.get("type", "ClusterIP")
    if kind == "ExternalName":
        return spec.get("externalName", "<none>")
    if kind == "LoadBalancer":
        ingress = (status.get("loadBalancer") or {}).get("ingress") or []
        external = [i.get("ip") or i.get("hostname") for i in ingress] + external
        return ",".join(filter(None, external)) or "<pending>"
    return ",".join(external) or "<none>"


def _service_ports(spec: dict) -> str:
    parts = []
    for port in spec.get("ports") or []:
        if port.get("nodePort"):
            parts.append(f"{port.get('port')}:{port['nodePort']}/{port.get('protocol', 'TCP')}")
        else:
            parts.append(f"{port.get('port')}/{port.get('protocol', 'TCP')}")
    return ",".join(parts) or "<none>"


SERVICE = Printer((
    NAME,
    Column("Type", description="type determines how the Service is exposed."),
    Column("Cluster-IP", description="clusterIP is the IP address of the service."),
    Column("External-IP", description="externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
    Column("Port(s)", description="The list of ports that are exposed by this service."),
    AGE,
    Column("Selector", priority=1, description="Route service traffic to pods with label keys and values matching this selector."),
), lambda svc, now: [
    meta_of(svc).get("name", ""), spec_of(svc).get("type", ""),
    (spec_of(svc).get("clusterIPs") or ["<none>"])[0],
    _service_external_ip(spec_of(svc), status_of(svc)), _service_ports(spec_of(svc)), age_of(svc, now),
    format_labels(spec_of(svc).get("selector")),
])

def _more(shown: list[str], count: int, maximum: int = 3, empty: str = "<unset>") -> str:
    """listWithMoreString: up to `maximum` items, then `+ N more...`."""
    text = ",".join(shown[:maximum])
    if count > maximum:
        return f"{text} + {count - maximum} more..."
    return text or empty


def format_endpoints(endpoints: dict) -> str:
    """formatEndpoints (all ports): `ip:port` per address and port, at most three shown."""
    subsets = endpoints.get("subsets") or []
    if not subsets:
        return "<none>"
    shown: list[str] = []
    count = 0
    for subset in subsets:
        addresses = [a.get("ip", "") for a in subset.get("addresses") or []]
        ports = subset.get("ports") or []
        if not ports:
            count += len(addresses)
            shown.extend(addresses)
            continue
        for port in ports:
            count += len(addresses)
            shown.extend(_host_port(ip, port.get("port", 0)) for ip in addresses)
    return _more(shown, count, empty="")


def _host_port(ip: str, port: object) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


ENDPOINTS = Printer((
    NAME,
    Column("Endpoints", description="The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service."),
    AGE,
), lambda endpoints, now: [meta_of(endpoints).get("name", ""), format_endpoints(endpoints),
                           age_of(endpoints, now)])


def _slice_ports(endpoint_slice: dict) -> str:
    ports = endpoint_slice.get("ports") or []
    shown = []
    for port in ports:
        if port.get("port") is not None:
            shown.append(str(port["port"]))
        elif port.get("name") is not None:
            shown.append(str(port["name"]))
        else:
            shown.append("*")
    return _more(shown, len(ports))


def _slice_addresses(endpoint_slice: dict) -> str:
    addresses = [address for endpoint in endpoint_slice.get("endpoints") or []
                 for address in endpoint.get("addresses") or []]
    return _more(addresses, len(addresses))


ENDPOINT_SLICE = Printer((
    NAME,
    Column("AddressType", description="addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name. (Deprecated) The EndpointSlice controller only generates, and kube-proxy only processes, slices of addressType \"IPv4\" and \"IPv6\". No semantics are defined for the \"FQDN\" type."),
    Column("Ports", description="ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. Each slice may include a maximum of 100 ports. Services always have at least 1 port, so EndpointSlices generated by the EndpointSlice controller will likewise always have at least 1 port. EndpointSlices used for other purposes may have an empty ports list."),
    Column("Endpoints", description="endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints."),
    AGE,
), lambda endpoint_slice, now: [meta_of(endpoint_slice).get("name", ""), endpoint_slice.get("addressType", ""),
                                _slice_ports(endpoint_slice), _slice_addresses(endpoint_slice),
                                age_of(endpoint_slice, now)])
