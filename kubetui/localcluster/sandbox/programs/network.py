"""ip and ss for the pod's network namespace.

Every container of a pod shares one network namespace, so `ss` lists the listening sockets
of all of them, but (like the real ss) names the owning process only for sockets of
processes it can see: its own container's, or all of them with shareProcessNamespace.
ss's table is rendered with iproute2's own column algorithm (`render_calc_width`): fields
sized to content, free width spread across columns on a terminal, compact into a pipe.
"""

from __future__ import annotations

import hashlib

from kubetui.localcluster.sandbox.programs.options import flags, getopts
from kubetui.localcluster.sandbox.system import Invocation, program

_SERVICES = {22: "ssh", 53: "domain", 80: "http", 443: "https", 8080: "http-alt"}
# (header, left delimiter, right aligned) as in iproute2's `columns[]`
_COLUMNS = [("Netid", "", False), ("State", " ", False), ("Recv-Q", " ", False),
            ("Send-Q", " ", False), ("Local Address:", " ", True), ("Port", "", False),
            ("Peer Address:", " ", True), ("Port", "", False), ("Process", "", False)]


def _mac(seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    return ":".join(f"{b:02x}" for b in (bytes([digest[0] & 0xFE | 0x02]) + digest[1:6]))


def _link_local(mac: str) -> str:
    parts = [int(p, 16) for p in mac.split(":")]
    parts[0] ^= 0x02
    words = [parts[0] << 8 | parts[1], parts[2] << 8 | 0xFF, 0xFE << 8 | parts[3],
             parts[4] << 8 | parts[5]]
    return "fe80::" + ":".join(f"{w:x}" for w in words)


def interfaces(context: dict) -> list[dict]:
    host = context.get("host_network")
    ip = context.get("node_ip" if host else "pod_ip") or "10.244.0.2"
    prefix = 16 if host else 24
    octets = ip.split(".")
    broadcast = ".".join(octets[:2] + ["255", "255"]) if host else ".".join(octets[:3] + ["255"])
    mac = _mac(ip)
    peer = 5 + int(hashlib.sha256(ip.encode()).hexdigest(), 16) % 40
    return [
        {"index": 1, "name": "lo", "flags": "LOOPBACK,UP,LOWER_UP", "mtu": 65536,
         "state": "UNKNOWN", "qlen": " qlen 1000", "link": "link/loopback 00:00:00:00:00:00 "
         "brd 00:00:00:00:00:00", "inet": ("127.0.0.1/8", "", "host lo"),
         "inet6": ("::1/128", "host ")},
        {"index": 2, "name": "eth0" if host else f"eth0@if{peer}",
         "flags": "BROADCAST,MULTICAST,UP,LOWER_UP", "mtu": 1500, "state": "UP", "qlen": " ",
         "link": f"link/ether {mac} brd ff:ff:ff:ff:ff:ff" + ("" if host else
                                                               " link-netnsid 0"),
         "inet": (f"{ip}/{prefix}", f" brd {broadcast}", "global eth0"),
         "inet6": (f"{_link_local(mac)}/64", "link ")},
    ]


def _addresses(inv: Invocation, family: str, only: str | None) -> int:
    shown = False
    for iface in interfaces(inv.system.context):
        if only and iface["name"].split("@")[0] != only:
            continue
        shown = True
        inv.out(f"{iface['index']}: {iface['name']}: <{iface['flags']}> mtu {iface['mtu']} "
                f"qdisc noqueue state {iface['state']} group default{iface['qlen']}\n"
                f"    {iface['link']}\n")
        if family in ("", "4"):
            address, broadcast, scope = iface["inet"]
            inv.out(f"    inet {address}{broadcast} scope {scope}\n"
                    "       valid_lft forever preferred_lft forever\n")
        if family in ("", "6"):
            address, scope = iface["inet6"]
            inv.out(f"    inet6 {address} scope {scope}\n"
                    "       valid_lft forever preferred_lft forever\n")
    if only and not shown:
        inv.err(f'Device "{only}" does not exist.\n')
        return 1
    return 0


@program("ip")
def ip(inv: Invocation) -> int:
    args = list(inv.argv[1:])
    family = ""
    while args and args[0] in ("-4", "-6", "-c", "-br", "-brief", "-d"):
        option = args.pop(0)
        family = option[1] if option in ("-4", "-6") else family
    if not args:
        inv.err("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n"
                "where  OBJECT := { address | link | route | neigh | netns | ... }\n")
        return 255
    obj, rest = args[0], args[1:]
    if "address".startswith(obj) or obj == "addr":
        rest = [r for r in rest if r not in ("show", "list", "dev")]
        return _addresses(inv, family, rest[0] if rest else None)
    if "link".startswith(obj):
        for iface in interfaces(inv.system.context):
            inv.out(f"{iface['index']}: {iface['name']}: <{iface['flags']}> mtu {iface['mtu']} "
                    f"qdisc noqueue state {iface['state']} mode DEFAULT group default"
                    f"{iface['qlen']}\n    {iface['link']}\n")
        return 0
    if "route".startswith(obj) or obj == "r":
        address = interfaces(inv.system.context)[1]["inet"][0].split("/")
        octets = address[0].split(".")
        network = ".".join(octets[:3] + ["0"]) + "/24"
        gateway = ".".join(octets[:3] + ["1"])
        inv.out(f"default via {gateway} dev eth0 \n{network} dev eth0 proto kernel scope link "
                f"src {address[0]} \n")
        return 0
    inv.err(f'Object "{obj}" is unknown, try "ip help".\n')
    return 1


def _node_sockets(context: dict) -> list[dict]:
    """What a hostNetwork pod also sees: the node's own daemons (no process shown)."""
    if not context.get("host_network"):
        return []
    node = context.get("node_ip", "")
    return [{"container": "", "proto": "tcp", "address": a, "port": p, "backlog": 4096}
            for a, p in (("127.0.0.1", 10248), ("127.0.0.1", 10249), (node, 2379),
                         ("127.0.0.1", 2379), ("*", 10250), ("*", 10256), ("*", 6443))]


def _render(rows: list[list[str]], enabled: list[bool], width: int | None) -> str:
    columns = [c for c, on in zip(_COLUMNS, enabled) if on]
    rows = [[cell for cell, on in zip(row, enabled) if on] for row in rows]
    max_len = [max(len(row[i]) for row in rows) for i in range(len(columns))]
    widths, first = [], True
    for (_, delimiter, _), length in zip(columns, max_len):
        widths.append(length + (len(delimiter) if not first and length else 0))
        first = first and not length
    if width:  # a terminal: spread the spare width over the columns, rightmost first
        spare = width - sum(widths)
        if spare > 0:
            count = sum(1 for w in widths if w)
            spacing, remainder = divmod(spare, count)
            for index in range(len(widths) - 1, -1, -1):
                if widths[index]:
                    widths[index] += spacing + (1 if remainder else 0)
                    remainder = max(0, remainder - 1)
    out = []
    for row in rows:
        line, started = "", False
        for (_, delimiter, right), cell, field_width in zip(columns, row, widths):
            printed = len(delimiter) if started else 0
            line += delimiter if started else ""
            started = True
            if right:
                line += " " * max(0, field_width - len(cell) - printed) + cell
            else:
                line += cell + " " * max(0, field_width - printed - len(cell))
        out.append(line)
    return "".join(line + "\n" for line in out)


@program("ss")
def ss(inv: Invocation) -> int:
    opts, _ = getopts(inv, inv.argv[1:], "tulanpx46eoHrs",
                      ("tcp", "udp", "listening", "all", "numeric", "processes", "no-header"))
    given = flags(opts)
    tcp, udp = bool(given & {"-t", "--tcp"}), bool(given & {"-u", "--udp"})
    listening = bool(given & {"-l", "--listening"})
    every = bool(given & {"-a", "--all"})
    numeric = bool(given & {"-n", "--numeric"})
    show_process = bool(given & {"-p", "--processes"})
    context = inv.system.context
    shared = bool(context.get("share_process_namespace"))
    own = context.get("container")
    sockets = [s for s in context.get("sockets", []) + _node_sockets(context)
               if (s["proto"] == "tcp" and (tcp or not udp)) or (s["proto"] == "udp" and udp)]
    if not (listening or every):
        sockets = []  # only established connections, and the simulation has none
    if "-4" in given:
        sockets = [s for s in sockets if s["address"] not in ("[::]", "*") and ":" not in
                   s["address"]]
    header = ["Netid", "State", "Recv-Q", "Send-Q", "Local Address:", "Port", "Peer Address:",
              "Port", "Process"]
    rows = [header] if "-H" not in given else []
    for sock in sorted(sockets, key=lambda s: (s["address"] in ("[::]", "*"), s["port"])):
        port = str(sock["port"]) if numeric else _SERVICES.get(sock["port"], str(sock["port"]))
        address = sock["address"]
        peer = "[::]" if address == "[::]" else ("*" if address == "*" else "0.0.0.0")
        users = ""
        if show_process and sock.get("process") and (shared or sock["container"] == own):
            users = f' users:(("{sock["process"]}",pid={sock["pid"]},fd={sock["fd"]}))'
        rows.append([sock["proto"], "LISTEN", f"{0:<6}", f"{sock['backlog']:<6}",
                     f"{address}:", port, f"{peer}:", "*", users])
    enabled = [not (tcp != udp), not listening, True, True, True, True, True, True, True]
    columns = inv.io.stdout.columns() if inv.io.stdout.isatty() else None
    inv.out(_render(rows, enabled, columns))
    return 0
