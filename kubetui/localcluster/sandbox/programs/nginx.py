"""The nginx binary of the nginx images, as a shell in the container meets it.

The server itself already runs as the container's main process (servers.py), so what an exec
can do is ask it things: `-v`/`-V` print the version to stderr, `-t` checks the configuration,
`-s reload|quit|…` signals the running master, and starting a second one fails to bind port
80, which the first one holds, after nginx's five tries.
"""

from __future__ import annotations

from kubetui.localcluster.sandbox.system import Invocation, program

_CONFIG = "/etc/nginx/nginx.conf"


def _version(inv: Invocation) -> str:
    return inv.env.get("NGINX_VERSION") or dict(inv.system.image.env).get("NGINX_VERSION", "1.27.3")


def _modern(version: str) -> bool:
    numbers = [int(part) for part in version.split(".")[:2] if part.isdigit()] + [0, 0]
    return (numbers[0], numbers[1]) >= (1, 19)


@program("nginx")
def nginx(inv: Invocation) -> int:
    args = inv.argv[1:]
    version = _version(inv)
    if "-h" in args or "-?" in args:
        inv.err(f"nginx version: nginx/{version}\nUsage: nginx [-?hvVtTq] [-s signal] [-p prefix]\n"
                "             [-e filename] [-c filename] [-g directives]\n")
        return 0
    if "-V" in args:
        gcc = "12.2.0 (Debian 12.2.0-14)" if _modern(version) else "8.3.0 (Debian 8.3.0-6)"
        inv.err(f"nginx version: nginx/{version}\nbuilt by gcc {gcc} \n"
                "built with OpenSSL 1.1.1d  10 Sep 2019\nTLS SNI support enabled\n"
                "configure arguments: --prefix=/etc/nginx --sbin-path=/usr/sbin/nginx "
                "--conf-path=/etc/nginx/nginx.conf --error-log-path=/var/log/nginx/error.log "
                "--http-log-path=/var/log/nginx/access.log --pid-path=/var/run/nginx.pid "
                "--user=nginx --group=nginx --with-http_ssl_module --with-http_v2_module\n")
        return 0
    if "-v" in args:
        inv.err(f"nginx version: nginx/{version}\n")
        return 0
    if "-t" in args or "-T" in args:
        if not inv.fs.exists(_CONFIG):
            inv.err(f'nginx: [emerg] open() "{_CONFIG}" failed (2: No such file or directory)\n'
                    f"nginx: configuration file {_CONFIG} test failed\n")
            return 1
        inv.err(f"nginx: the configuration file {_CONFIG} syntax is ok\n"
                f"nginx: configuration file {_CONFIG} test is successful\n")
        return 0
    if "-s" in args:
        index = args.index("-s")
        signal = args[index + 1] if index + 1 < len(args) else ""
        if signal not in ("stop", "quit", "reopen", "reload"):
            inv.err(f'nginx: invalid option: "-s {signal}"\n' if signal else
                    'nginx: option "-s" requires parameter\n')
            return 1
        if any(p["comm"] == "nginx" for p in inv.system.container_processes()):
            return 0
        inv.err('nginx: [error] open() "/var/run/nginx.pid" failed (2: No such file or directory)\n')
        return 1
    addresses = ("0.0.0.0:80", "[::]:80") if _modern(version) else ("0.0.0.0:80",)
    for _ in range(5):
        for address in addresses:
            inv.err(f"nginx: [emerg] bind() to {address} failed (98: Address already in use)\n")
    inv.err("nginx: [emerg] still could not bind()\n")
    return 1
