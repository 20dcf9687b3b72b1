"""The data stores of the known images, redis, postgres, mysql and memcached: what they print,
bind and do on SIGTERM.

Key decisions: the texts are the programs' own (the redis banner and its pre-4.0 layout,
postgres's and mysql's refusal to start without a password), versions taken from the image's
ENV; a store that finds its port taken prints the program's own bind error and exits as it does.
"""

from __future__ import annotations

from kubetui.localcluster.runtime.server_context import ServerContext, log_lines, version_tuple
from kubetui.localcluster.sandbox.run_plan import STDERR, STDOUT, LogLine, RunPlan, Stop


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
    old = version_tuple(version) < (4, 0)
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
        return RunPlan(lines=log_lines(0.05, _PG_NO_PASSWORD.splitlines(), STDERR),
                       exit_after=0.05, exit_code=1)
    stamp = "{t:%Y-%m-%d %H:%M:%S}.{ms} UTC"
    lines = []
    if via_entrypoint:
        lines += log_lines(0.1, ['The files belonging to this database system will be owned by user '
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
        lines += log_lines(0.1, ["    You need to specify one of the following as an environment "
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


# ------------------------------------------------------------------------------- memcached
def _memcached(ctx: ServerContext, via_entrypoint: bool) -> RunPlan:
    if 11211 in ctx.ports_in_use:
        return RunPlan(lines=(LogLine(0.0, "failed to listen on TCP port 11211: Address already "
                                           "in use", STDERR),), exit_after=0.0, exit_code=71)
    return RunPlan(ports=(11211,), stop=Stop(0.05, 0))


DATA_SERVERS = {
    "redis-server": _redis,
    "postgres": _postgres,
    "mysqld": _mysql,
    "memcached": _memcached,
}
