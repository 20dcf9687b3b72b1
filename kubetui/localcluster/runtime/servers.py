"""Long-running server programs of the known images: what they print, bind and do on SIGTERM.

Key decisions: the texts are the programs' own (nginx's error-log lines and its `nginx:` stderr
echo, the redis banner, httpd's AH codes), versions taken from the image's ENV, so a port clash
shows in `kubectl logs --previous` exactly as on a real node. A server that finds its port taken
retries the way the real program does (nginx: five tries 500 ms apart) and exits 1. A web
server's access log holds the kubelet's probe requests only when the container has httpGet
probes on its port, one line per probe per period: nothing else ever asks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from kubetui.localcluster.sandbox.run_plan import STDERR, STDOUT, LogLine, Periodic, RunPlan, Stop

NGINX_TIME = "{t:%Y/%m/%d %H:%M:%S}"
ACCESS_TIME = "{t:%d/%b/%Y:%H:%M:%S +0000}"
PROBE_AGENT = "kube-probe/1.37"


@dataclass(frozen=True)
class HttpProbe:
    """An httpGet probe the kubelet sends to the container (readiness, liveness, startup)."""

    port: int
    path: str = "/"
    period: float = 10.0
    delay: float = 0.0


@dataclass(frozen=True)
class ServerContext:
    """What a server needs to know about where it runs."""

    pod_ip: str = "10.244.1.2"
    gateway_ip: str = "10.244.1.1"
    env: Mapping[str, str] = field(default_factory=dict)
    ports_in_use: frozenset[int] = frozenset()
    args: tuple[str, ...] = ()
    probes: tuple[HttpProbe, ...] = ()

    def version(self, key: str, default: str) -> str:
        return self.env.get(key) or default


def http_probes(container: Mapping) -> tuple[HttpProbe, ...]:
    """The container's httpGet probes, named ports resolved through its declared ports."""
    named = {p.get("name"): p.get("containerPort") for p in container.get("ports") or []
             if isinstance(p, dict) and p.get("name")}
    probes = []
    for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
        probe = container.get(kind)
        action = probe.get("httpGet") if isinstance(probe, dict) else None
        if not isinstance(action, dict):
            continue
        port = named.get(action.get("port"), action.get("port"))
        if isinstance(port, int):
            probes.append(HttpProbe(port, str(action.get("path") or "/"),
                                    float(probe.get("periodSeconds") or 10),
                                    float(probe.get("initialDelaySeconds") or 0)))
    return tuple(probes)


def probe_traffic(ctx: ServerContext, port: int, line: Callable[[str], str]) -> Periodic | None:
    """The access-log lines the kubelet's probes cause, one per probe per period; None when
    no probe asks this port (no invented traffic)."""
    probes = [probe for probe in ctx.probes if probe.port == port]
    if not probes:
        return None
    first = min(probe.delay for probe in probes) + 1.0
    lines = tuple(LogLine(0.0, line(probe.path), STDOUT, True) for probe in probes)
    return Periodic(first, probes[0].period, lines)


def _version_tuple(version: str) -> tuple[int, int]:
    numbers = [int(part) for part in version.split(".")[:2] if part.isdigit()]
    return tuple((numbers + [0, 0])[:2])  # type: ignore[return-value]


def _lines(at: float, texts: list[str], stream: str = STDOUT, timed: bool = False):
    return tuple(LogLine(at, text, stream, timed) for text in texts)


# ------------------------------------------------------------------------------------ nginx
_NGINX_ENTRYPOINT = [
    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
    "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
    "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
    "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
    "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
    "/docker-entrypoint.sh: Configuration complete; ready for start up",
]


def _nginx(ctx: ServerContext, via_entrypoint: bool) -> RunPlan:
    version = ctx.version("NGINX_VERSION", "1.27.3")
    modern = _version_tuple(version) >= (1, 19)  # entrypoint scripts, IPv6, notice level
    prefix = _lines(0.0, _NGINX_ENTRYPOINT) if modern and via_entrypoint else ()
    addresses = ("0.0.0.0:80", "[::]:80") if modern else ("0.0.0.0:80",)
    if 80 in ctx.ports_in_use:
        lines: list[LogLine] = list(prefix)
        for attempt in range(5):
            at = 0.05 + attempt * 0.5
            for address in addresses:
                problem = f"bind() to {address} failed (98: Address already in use)"
                lines.append(LogLine(at, f"{NGINX_TIME} [emerg] 1#1: {problem}", STDERR, True))
                lines.append(LogLine(at, f"nginx: [emerg] {problem}", STDERR))
            if modern and attempt < 4:
                lines.append(LogLine(at, f"{NGINX_TIME} [notice] 1#1: try again to bind() after "
                                     "500ms", STDERR, True))
        end = 0.05 + 4 * 0.5
        lines.append(LogLine(end, f"{NGINX_TIME} [emerg] 1#1: still could not bind()", STDERR, True))
        lines.append(LogLine(end, "nginx: [emerg] still could not bind()", STDERR))
        return RunPlan(lines=tuple(lines), exit_after=end, exit_code=1)
    lines = list(prefix)
    stop_lines: tuple[LogLine, ...] = ()
    if modern:
        notices = ['using the "epoll" event method', f"nginx/{version}",
                   "built by gcc 12.2.0 (Debian 12.2.0-14) ", "OS: Linux 6.8.0-1017-gcp",
                   "getrlimit(RLIMIT_NOFILE): 1048576:1048576", "start worker processes",
                   "start worker process 29"]
        lines += [LogLine(0.05, f"{NGINX_TIME} [notice] 1#1: {text}", STDERR, True)
                  for text in notices]
        stop_lines = tuple(LogLine(0.0, f"{NGINX_TIME} [notice] {who}: {text}", STDERR, True)
                           for who, text in (
                               ("1#1", "signal 3 (SIGQUIT) received, shutting down"),
                               ("29#29", "gracefully shutting down"), ("29#29", "exiting"),
                               ("29#29", "exit"), ("1#1", "signal 17 (SIGCHLD) received from 29"),
                               ("1#1", "worker process 29 exited with code 0"), ("1#1", "exit")))
    def access(path: str) -> str:
        status = "200 612" if path in ("/", "/index.html") else "404 153"
        return f'{ctx.gateway_ip} - - [{ACCESS_TIME}] "GET {path} HTTP/1.1" {status} "-" "{PROBE_AGENT}" "-"'

    return RunPlan(lines=tuple(lines), ports=(80,), periodic=probe_traffic(ctx, 80, access),
                   stop=Stop(0.1, 0, stop_lines))


# ------------------------------------------------------------------------------------ redis
_REDIS_LOGO = r"""                _._                                                  
           _.-``__ ''-._                                             
      _.-``    `.  `_.  ''-._           Redis {version} (00000000/0) 64 bit
  .-`` .-```.  ```\/    _.,_ ''-._                                   
 (    '      ,       .-`  | `,    )     Running in standalone mode
 |`-._`-...-` __...-.``-._|'` _.-'|     Port: 6379
 |    `-._   `._    /     _.-'    |     PID: 1
  `-._    `-._  `-./  _.-'    _.-'                                   
 |`-._`-._    `-.__.-'    _.-'_.-'|                                  
 |    `-._`-._        _.-'_.-'    |           http://redis.io        
  `-._    `-._`-.__.-'_.-'    _.-'                                   
 |`-._`-._    `-.__.-'    _.-'_.-'|                                  
 |    `-._`-._        _.-'_.-'    |                                  
  `-._    `-._`-.__.-'_.-'    _.-'                                   
      `-._    `-.__.-'    _.-'                                       
          `-._        _.-'                                           
              `-.__.-'                                               
"""
_NO_CONFIG = ("Warning: no config file specified, using the default config. In order to specify "
              "a config file use redis-server /path/to/redis.conf")


def _redis(ctx: ServerContext, via_entrypoint: bool) -> RunPlan:
    version = ctx.version("REDIS_VERSION", "7.4.1")
    old = _version_tuple(version) < (4, 0)
    stamp = "{t:%d %b %H:%M:%S}.{ms}" if old else "{t:%d %b %Y %H:%M:%S}.{ms}"

    def log(at: float, role: str, mark: str, text: str) -> LogLine:
        return LogLine(at, f"1:{role} {stamp} {mark} {text}", STDOUT, True)

    if old:
        lines = [log(0.0, "C", "#", _NO_CONFIG)]
        lines += [LogLine(0.01, text) for text in
                  _REDIS_LOGO.replace("{version}", version).splitlines()] + [LogLine(0.01, "")]
    else:
        lines = [log(0.0, "C", "*", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"),
                 log(0.0, "C", "*", f"Redis version={version}, bits=64, commit=00000000, "
                                    "modified=0, pid=1, just started"),
                 log(0.0, "C", "#", _NO_CONFIG),
                 log(0.01, "M", "*", "monotonic clock: POSIX clock_gettime")]
    if 6379 in ctx.ports_in_use:
        if old:
            lines.append(log(0.02, "M", "#", "Creating Server TCP listening socket *:6379: bind: "
                                             "Address already in use"))
        else:
            lines.append(log(0.02, "M", "#", "Warning: Could not create server TCP listening "
                                             "socket *:6379: bind: Address already in use"))
            lines.append(log(0.02, "M", "#", "Failed listening on port 6379 (tcp), aborting."))
        return RunPlan(lines=tuple(lines), exit_after=0.02, exit_code=1)
    if old:
        lines += [log(0.02, "M", "#", "WARNING: The TCP backlog setting of 511 cannot be enforced "
                                      "because /proc/sys/net/core/somaxconn is set to the lower "
                                      "value of 128."),
                  log(0.02, "M", "#", f"Server started, Redis version {version}"),
                  log(0.02, "M", "*", "The server is now ready to accept connections on port 6379")]
        stop = [log(0.0, "M", "#", "User requested shutdown..."),
                log(0.0, "M", "*", "Saving the final RDB snapshot before exiting."),
                log(0.01, "M", "*", "DB saved on disk"),
                log(0.01, "M", "#", "Redis is now ready to exit, bye bye...")]
    else:
        lines += [log(0.02, "M", "*", "Running mode=standalone, port=6379."),
                  log(0.02, "M", "*", "Server initialized"),
                  log(0.02, "M", "*", "Ready to accept connections tcp")]
        stop = [log(0.0, "M", "#", "Received SIGTERM scheduling shutdown..."),
                log(0.0, "M", "#", "User requested shutdown..."),
                log(0.0, "M", "*", "Saving the final RDB snapshot before exiting."),
                log(0.01, "M", "*", "DB saved on disk"),
                log(0.01, "M", "#", "Redis is now ready to exit, bye bye...")]
    return RunPlan(lines=tuple(lines), ports=(6379,), stop=Stop(0.02, 0, tuple(stop)))


# ------------------------------------------------------------------------------------ httpd
def _httpd(ctx: ServerContext, via_entrypoint: bool) -> RunPlan:
    version = ctx.version("HTTPD_VERSION", "2.4.62")
    fqdn = (f"AH00558: httpd: Could not reliably determine the server's fully qualified domain "
            f"name, using {ctx.pod_ip}. Set the 'ServerName' directive globally to suppress "
            "this message")
    lines = [LogLine(0.0, fqdn, STDERR), LogLine(0.0, fqdn, STDERR)]
    if 80 in ctx.ports_in_use:
        lines += _lines(0.01, ["(98)Address already in use: AH00072: make_sock: could not bind "
                               "to address [::]:80",
                               "(98)Address already in use: AH00072: make_sock: could not bind "
                               "to address 0.0.0.0:80",
                               "no listening sockets available, shutting down",
                               "AH00015: Unable to open logs"], STDERR)
        return RunPlan(lines=tuple(lines), exit_after=0.01, exit_code=1)
    stamp = "[{t:%a %b %d %H:%M:%S}.{us} {t:%Y}]"
    lines += [LogLine(0.02, f"{stamp} [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/{version} "
                            "(Unix) configured -- resuming normal operations", STDERR, True),
              LogLine(0.02, f"{stamp} [core:notice] [pid 1:tid 1] AH00094: Command line: "
                            "'httpd -D FOREGROUND'", STDERR, True)]
    def access(path: str) -> str:
        status = "200 45" if path in ("/", "/index.html") else "404 196"
        return f'{ctx.gateway_ip} - - [{ACCESS_TIME}] "GET {path} HTTP/1.1" {status}'

    stop = (LogLine(0.0, f"{stamp} [mpm_event:notice] [pid 1:tid 1] AH00492: caught SIGWINCH, "
                         "shutting down gracefully", STDERR, True),)
    return RunPlan(lines=tuple(lines), ports=(80,), periodic=probe_traffic(ctx, 80, access),
                   stop=Stop(0.1, 0, stop))


# --------------------------------------------------------------------------------- postgres
_PG_NO_PASSWORD = """Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.

       See PostgreSQL documentation about "trust":
       https://www.postgresql.org/docs/current/auth-trust.html"""


def _postgres(ctx: ServerContext, via_entrypoint: bool) -> RunPlan:
    version = ctx.version("PG_VERSION", "17.2-1.pgdg120+1")
    if via_entrypoint and not (ctx.env.get("POSTGRES_PASSWORD")
                               or ctx.env.get("POSTGRES_HOST_AUTH_METHOD") == "trust"):
        return RunPlan(lines=_lines(0.05, _PG_NO_PASSWORD.splitlines(), STDERR),
                       exit_after=0.05, exit_code=1)
    stamp = "{t:%Y-%m-%d %H:%M:%S}.{ms} UTC"
    lines = []
    if via_entrypoint:
        lines += _lines(0.1, ['The files belonging to this database system will be owned by user '
                              '"postgres".', "This user must also own the server process.", "",
                              "Success. You can now start the database server using:", "",
                              "PostgreSQL init process complete; ready for start up.", ""])
    if 5432 in ctx.ports_in_use:
        lines += [LogLine(2.0, f"{stamp} [1] {text}", STDERR, True) for text in (
            'LOG:  could not bind IPv4 address "0.0.0.0": Address already in use',
            "HINT:  Is another postmaster already running on port 5432? If not, wait a few "
            "seconds and retry.", 'WARNING:  could not create listen socket for "*"',
            "FATAL:  could not create any TCP/IP sockets", "LOG:  database system is shut down")]
        return RunPlan(lines=tuple(lines), exit_after=2.0, exit_code=1)
    short = version.split("-")[0]
    lines += [LogLine(2.0, f"{stamp} [1] {text}", STDERR, True) for text in (
        f"LOG:  starting PostgreSQL {short} (Debian {version}) on x86_64-pc-linux-gnu, compiled by "
        "gcc (Debian 12.2.0-14) 12.2.0, 64-bit",
        'LOG:  listening on IPv4 address "0.0.0.0", port 5432',
        'LOG:  listening on IPv6 address "::", port 5432',
        'LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"',
        "LOG:  database system is ready to accept connections")]
    stop = tuple(LogLine(0.0, f"{stamp} [1] {text}", STDERR, True) for text in (
        "LOG:  received fast shutdown request", "LOG:  aborting any active transactions",
        "LOG:  database system is shut down"))
    return RunPlan(lines=tuple(lines), ports=(5432,), stop=Stop(0.3, 0, stop))


# ------------------------------------------------------------------------------------ mysql
def _mysql(ctx: ServerContext, via_entrypoint: bool) -> RunPlan:
    version = ctx.version("MYSQL_VERSION", "8.4.3-1.el9")
    short = version.split("-")[0]
    stamp = "{t:%Y-%m-%d %H:%M:%S}+00:00"
    lines = [LogLine(0.0, f"{stamp} [Note] [Entrypoint]: Entrypoint script for MySQL Server "
                          f"{version} started.", STDOUT, True)]
    password_vars = ("MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD")
    if via_entrypoint and not any(ctx.env.get(name) for name in password_vars):
        lines.append(LogLine(0.1, f"{stamp} [ERROR] [Entrypoint]: Database is uninitialized and "
                                  "password option is not specified", STDERR, True))
        lines += _lines(0.1, ["    You need to specify one of the following as an environment "
                              "variable:", "    - MYSQL_ROOT_PASSWORD",
                              "    - MYSQL_ALLOW_EMPTY_PASSWORD", "    - MYSQL_RANDOM_ROOT_PASSWORD"],
                        STDERR)
        return RunPlan(lines=tuple(lines), exit_after=0.1, exit_code=1)
    iso = "{t:%Y-%m-%dT%H:%M:%S}.{us}Z"
    if 3306 in ctx.ports_in_use:
        lines += [LogLine(3.0, f"{iso} 0 [ERROR] [MY-010262] [Server] Can't start server: Bind on "
                               "TCP/IP port: Address already in use", STDERR, True),
                  LogLine(3.0, f"{iso} 0 [ERROR] [MY-010257] [Server] Do you already have another "
                               "mysqld server running on port: 3306 ?", STDERR, True)]
        return RunPlan(lines=tuple(lines), exit_after=3.0, exit_code=1)
    lines.append(LogLine(3.0, f"{iso} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for "
                              f"connections. Version: '{short}'  socket: '/var/run/mysqld/"
                              "mysqld.sock'  port: 3306  MySQL Community Server - GPL.",
                         STDERR, True))
    return RunPlan(lines=tuple(lines), ports=(3306, 33060), stop=Stop(1.0, 0))


# ----------------------------------------------------------------------- small and silent
def _memcached(ctx: ServerContext, via_entrypoint: bool) -> RunPlan:
    if 11211 in ctx.ports_in_use:
        return RunPlan(lines=(LogLine(0.0, "failed to listen on TCP port 11211: Address already "
                                           "in use", STDERR),), exit_after=0.0, exit_code=71)
    return RunPlan(ports=(11211,), stop=Stop(0.05, 0))


def _coredns(ctx: ServerContext, via_entrypoint: bool) -> RunPlan:
    lines = _lines(0.1, [".:53", "[INFO] plugin/reload: Running configuration SHA512 = "
                         "591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37"
                         "f1cf888b953814040d180f52594972691cd6ff41be96639138a43908",
                         "CoreDNS-1.12.0", "linux/amd64, go1.23.3, 51e11f1"])
    stop = _lines(0.0, ["[INFO] SIGTERM: Shutting down servers then terminating",
                        "[INFO] plugin/health: Going into lameduck mode for 5s"])
    return RunPlan(lines=lines, ports=(53, 8080, 8181, 9153), stop=Stop(5.0, 0, stop))


def _klog(component: str, ports: tuple[int, ...], messages: list[str]) -> Callable:
    def plan(ctx: ServerContext, via_entrypoint: bool) -> RunPlan:
        stamp = "I{t:%m%d %H:%M:%S}.{us}       1 "
        lines = tuple(LogLine(0.1 + index * 0.05, f"{stamp}{text}", STDERR, True)
                      for index, text in enumerate(messages))
        taken = [port for port in ports if port in ctx.ports_in_use]
        if taken:
            failure = LogLine(0.3, f'E{{t:%m%d %H:%M:%S}}.{{us}}       1 run.go:72] "command '
                                   f'failed" err="failed to listen on 0.0.0.0:{taken[0]}: listen '
                                   f'tcp 0.0.0.0:{taken[0]}: bind: address already in use"',
                              STDERR, True)
            return RunPlan(lines=lines[:1] + (failure,), exit_after=0.3, exit_code=1)
        return RunPlan(lines=lines, ports=ports, stop=Stop(0.2, 0))
    del component
    return plan


def _etcd(ctx: ServerContext, via_entrypoint: bool) -> RunPlan:
    stamp = '{{"level":"info","ts":"{t:%Y-%m-%dT%H:%M:%S}.{us}Z",'
    texts = ['"caller":"embed/etcd.go:140","msg":"configuring peer listeners"}',
             '"caller":"embed/etcd.go:148","msg":"configuring client listeners"}',
             '"caller":"etcdserver/server.go:2066","msg":"published local member to cluster '
             'through raft"}',
             '"caller":"embed/serve.go:250","msg":"serving client traffic securely",'
             '"traffic":"grpc+http","address":"127.0.0.1:2379"}']
    lines = tuple(LogLine(0.1 + i * 0.1, stamp + text.replace("{", "{{").replace("}", "}}"),
                          STDERR, True) for i, text in enumerate(texts))
    return RunPlan(lines=lines, ports=(2379, 2380, 2381), stop=Stop(0.2, 0))


SERVERS: dict[str, Callable[[ServerContext, bool], RunPlan]] = {
    "nginx": _nginx,
    "redis-server": _redis,
    "httpd-foreground": _httpd,
    "httpd": _httpd,
    "postgres": _postgres,
    "mysqld": _mysql,
    "memcached": _memcached,
    "coredns": _coredns,
    "etcd": _etcd,
    "kube-apiserver": _klog("kube-apiserver", (6443,), [
        'options.go:249] "external host was not specified, using 172.18.0.2"',
        'server.go:159] "Version" version="v1.37.0"',
        'secure_serving.go:213] Serving securely on [::]:6443']),
    "kube-controller-manager": _klog("kube-controller-manager", (10257,), [
        'serving.go:386] Generated self-signed cert in-memory',
        'controllermanager.go:208] "Starting" version="v1.37.0"',
        'leaderelection.go:257] attempting to acquire leader lease kube-system/kube-controller-manager...']),
    "kube-scheduler": _klog("kube-scheduler", (10259,), [
        'serving.go:386] Generated self-signed cert in-memory',
        'server.go:167] "Starting Kubernetes Scheduler" version="v1.37.0"',
        'leaderelection.go:257] attempting to acquire leader lease kube-system/kube-scheduler...']),
    "kube-proxy": _klog("kube-proxy", (10249, 10256), [
        'server_linux.go:66] "Using iptables proxy"',
        'server.go:698] "Successfully retrieved node IP(s)" IPs=["172.18.0.2"]',
        'server.go:250] "kube-proxy running in dual-stack mode" primary ipFamily="IPv4"',
        'config.go:199] "Starting service config controller"']),
}


def server_plan(program: str, ctx: ServerContext, *, via_entrypoint: bool) -> RunPlan | None:
    """The plan of a known server program (basename), or None when it is not one."""
    builder = SERVERS.get(program)
    return builder(ctx, via_entrypoint) if builder else None
