"""The /etc files the kubelet and the runtime write into every container.

/etc/hosts follows the kubelet's `managedHostsFileContent` byte for byte (tabs, the
hostAliases block), /etc/resolv.conf follows the kubelet's dnsPolicy rules and containerd's
"search, nameserver, options" line order. Pure functions of the pod spec.
"""

from __future__ import annotations

CLUSTER_DOMAIN = "cluster.local"
CLUSTER_DNS = "10.96.0.10"
# The node's own resolver (what dnsPolicy: Default hands to a pod), as on a kind node.
NODE_RESOLV_SEARCH = ("localdomain",)
NODE_RESOLV_NAMESERVERS = ("192.168.65.254",)

_MANAGED_HEADER = "# Kubernetes-managed hosts file.\n"
_MANAGED_HEADER_HOST_NETWORK = "# Kubernetes-managed hosts file (host network).\n"
_LOCAL_ENTRIES = (
    "127.0.0.1\tlocalhost\n"
    "::1\tlocalhost ip6-localhost ip6-loopback\n"
    "fe00::0\tip6-localnet\n"
    "fe00::0\tip6-mcastprefix\n"
    "fe00::1\tip6-allnodes\n"
    "fe00::2\tip6-allrouters\n"
)


def pod_hostname(pod: dict) -> str:
    """spec.hostname, else the pod name cut to 63 characters like the kubelet does."""
    spec = pod.get("spec") or {}
    name = spec.get("hostname") or (pod.get("metadata") or {}).get("name", "")
    if len(name) > 63:
        name = name[:63].rstrip("-.")
    return name


def node_hosts_file(node_ip: str, node_name: str) -> str:
    return (
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
        "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\n"
        f"ff02::2\tip6-allrouters\n{node_ip}\t{node_name}\n"
    )


def _host_aliases(spec: dict) -> str:
    aliases = spec.get("hostAliases") or []
    if not aliases:
        return ""
    lines = ["\n# Entries added by HostAliases.\n"]
    for alias in aliases:
        lines.append(f"{alias.get('ip', '')}\t{chr(9).join(alias.get('hostnames') or [])}\n")
    return "".join(lines)


def hosts_file(pod: dict, pod_ips: list[str], node_ip: str) -> str:
    spec = pod.get("spec") or {}
    if spec.get("hostNetwork"):
        node_name = spec.get("nodeName") or "node"
        base = node_hosts_file(node_ip, node_name)
        if not spec.get("hostAliases"):
            return base
        return _MANAGED_HEADER_HOST_NETWORK + base + _host_aliases(spec)
    hostname = pod_hostname(pod)
    namespace = (pod.get("metadata") or {}).get("namespace") or "default"
    subdomain = spec.get("subdomain")
    out = [_MANAGED_HEADER, _LOCAL_ENTRIES]
    for ip in pod_ips:
        if subdomain:
            domain = f"{subdomain}.{namespace}.svc.{CLUSTER_DOMAIN}"
            out.append(f"{ip}\t{hostname}.{domain}\t{hostname}\n")
        else:
            out.append(f"{ip}\t{hostname}\n")
    out.append(_host_aliases(spec))
    return "".join(out)


def _effective_policy(spec: dict) -> str:
    policy = spec.get("dnsPolicy") or "ClusterFirst"
    if policy == "ClusterFirst" and spec.get("hostNetwork"):
        return "Default"  # the kubelet falls back: cluster DNS needs ClusterFirstWithHostNet
    if policy == "ClusterFirstWithHostNet" and not spec.get("hostNetwork"):
        return "ClusterFirst"
    return policy


def _merge_options(base: list[str], extra: list[dict]) -> list[str]:
    merged: dict[str, str] = {}
    for option in base:
        name, _, value = option.partition(":")
        merged[name] = option
    for option in extra:
        name = option.get("name", "")
        if not name:
            continue
        value = option.get("value")
        merged[name] = f"{name}:{value}" if value not in (None, "") else name
    return list(merged.values())


def resolv_conf(pod: dict) -> str:
    spec = pod.get("spec") or {}
    namespace = (pod.get("metadata") or {}).get("namespace") or "default"
    config = spec.get("dnsConfig") or {}
    policy = _effective_policy(spec)
    if policy in ("ClusterFirst", "ClusterFirstWithHostNet"):
        servers = [CLUSTER_DNS]
        searches = [f"{namespace}.svc.{CLUSTER_DOMAIN}", f"svc.{CLUSTER_DOMAIN}", CLUSTER_DOMAIN]
        options = ["ndots:5"]
    elif policy == "None":
        servers, searches, options = [], [], []
    else:  # Default: the node's resolv.conf
        servers, searches, options = list(NODE_RESOLV_NAMESERVERS), list(NODE_RESOLV_SEARCH), []
    servers += [s for s in config.get("nameservers") or [] if s not in servers]
    searches += [s for s in config.get("searches") or [] if s not in searches]
    options = _merge_options(options, config.get("options") or [])
    text = ""
    if searches:
        text += f"search {' '.join(searches)}\n"
    for server in servers:
        text += f"nameserver {server}\n"
    if options:
        text += f"options {' '.join(options)}\n"
    return text
