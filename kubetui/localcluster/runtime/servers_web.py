"""The web servers of the known images, nginx and httpd: what they print, bind and do on SIGTERM.

Key decisions: the texts are the programs' own (nginx's error-log lines and its `nginx:` stderr
echo, httpd's AH codes), versions taken from the image's ENV, so a port clash shows in
`kubectl logs --previous` exactly as on a real node. nginx finding its port taken retries the
way the real program does (five tries 500 ms apart) and exits 1.
"""

from __future__ import annotations

from kubetui.localcluster.runtime.server_context import (
    ACCESS_TIME,
    PROBE_AGENT,
    ServerContext,
    log_lines,
    probe_traffic,
    version_tuple,
)
from kubetui.localcluster.sandbox.run_plan import STDERR, LogLine, RunPlan, Stop

NGINX_TIME = "{t:%Y/%m/%d %H:%M:%S}"


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
    modern = version_tuple(version) >= (1, 19)  # entrypoint scripts, IPv6, notice level
    prefix = log_lines(0.0, _NGINX_ENTRYPOINT) if modern and via_entrypoint else ()
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


# ------------------------------------------------------------------------------------ httpd
def _httpd(ctx: ServerContext, via_entrypoint: bool) -> RunPlan:
    version = ctx.version("HTTPD_VERSION", "2.4.62")
    fqdn = (f"AH00558: httpd: Could not reliably determine the server's fully qualified domain "
            f"name, using {ctx.pod_ip}. Set the 'ServerName' directive globally to suppress "
            "this message")
    lines = [LogLine(0.0, fqdn, STDERR), LogLine(0.0, fqdn, STDERR)]
    if 80 in ctx.ports_in_use:
        lines += log_lines(0.01, ["(98)Address already in use: AH00072: make_sock: could not bind "
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


WEB_SERVERS = {
    "nginx": _nginx,
    "httpd-foreground": _httpd,
    "httpd": _httpd,
}
