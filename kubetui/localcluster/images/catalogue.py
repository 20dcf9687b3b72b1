"""The image catalogue: what a container image would run, contain and listen on.

No image is ever pulled: the local cluster answers from this table. Each entry mirrors the
public image's Dockerfile (ENTRYPOINT, CMD, WORKDIR, ENV) closely enough for the study notes,
plus what a shell inside it would find (shells, tools, listening sockets). Unknown images
are treated as Debian-like with the usual tools present, so a learner's own image still gets a
working shell. Key decision: facts live here as plain frozen dataclasses keyed by repository
and tag prefix, so the kubelet simulation and the exec shell read the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass(frozen=True)
class Listener:
    """A socket the image's main program listens on once it runs."""

    port: int
    address: str = "0.0.0.0"  # "0.0.0.0", "[::]" (v6only) or "*" (dual-stack)
    process: str = ""  # short process name as `ss -p` prints it
    pid: int = 1
    fd: int = 3
    backlog: int = 511
    proto: str = "tcp"


@dataclass(frozen=True)
class ProcessTemplate:
    """A process the image's default command leaves running (for `ps`)."""

    pid: int
    user: str
    title: str  # what `ps` shows in COMMAND (programs may rewrite their title)
    comm: str  # short name (`top`, `ss -p`)
    vsz: int = 4000
    rss: int = 2000
    stat: str = "Ss"


@dataclass(frozen=True)
class ImageInfo:
    """Everything the local cluster knows about one image reference."""

    reference: str
    repository: str  # "nginx", "library/…" stripped
    tag: str
    known: bool
    family: str  # "debian", "busybox" or "alpine"
    os_release: str  # e.g. "buster"; "" for busybox
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    working_dir: str = "/"
    env: tuple[tuple[str, str], ...] = (("PATH", DEFAULT_PATH),)
    user: str = "root"
    exposed_ports: tuple[int, ...] = ()
    # ---- what a shell inside finds (used by kubetui.localcluster.shell) ----
    packages: frozenset[str] = frozenset()  # optional tool packages preinstalled
    daemon: str = ""  # basename of the long-running program, "" if none
    processes: tuple[ProcessTemplate, ...] = ()  # when the default command runs
    listeners: tuple[Listener, ...] = ()  # when the default command runs
    users: tuple[tuple[str, int], ...] = ()  # extra /etc/passwd entries (name, uid)
    files: tuple[tuple[str, str], ...] = field(default=())  # (path, content) extras

    @property
    def default_argv(self) -> tuple[str, ...]:
        return self.entrypoint + self.cmd

    def has_binary(self, path: str) -> bool:
        """Whether a container of this image could exec `path` (absolute or looked up in PATH).
        Shells follow the family; distroless images hold only their own program; another
        image's server program (nginx in busybox) is missing; anything else is assumed present."""
        name = path.rsplit("/", 1)[-1]
        if name in _SHELL_NAMES:
            return any(shell.rsplit("/", 1)[-1] == name for shell in self.shells)
        if self.family == "distroless":
            return name == self.daemon or path in self.entrypoint or name not in _UTILITIES
        if self.known and name in _SERVER_PROGRAMS:
            return name == self.daemon or {name, self.daemon} <= {"httpd", "httpd-foreground"}
        return True

    @property
    def shells(self) -> tuple[str, ...]:
        """The shells the image has, by path: busybox and alpine have no bash, distroless
        images no shell at all (`exec` of a missing one fails like runc does)."""
        if self.family == "distroless":
            return ()
        if self.family in ("busybox", "alpine"):
            return ("/bin/sh", "/bin/ash")
        return ("/bin/sh", "/bin/bash", "/bin/dash")


_SHELL_NAMES = frozenset({"sh", "bash", "ash", "dash", "zsh"})
_UTILITIES = frozenset({"sleep", "echo", "true", "false", "date", "hostname", "cat", "tail",
                        "printenv", "env", "ls", "pwd", "whoami", "id"})
_SERVER_PROGRAMS = frozenset({"nginx", "redis-server", "httpd", "httpd-foreground", "postgres",
                              "mysqld", "memcached", "coredns", "etcd", "kube-apiserver",
                              "kube-controller-manager", "kube-scheduler", "kube-proxy"})


def parse_reference(reference: str) -> tuple[str, str]:
    """`docker.io/library/nginx:1.16` -> ("nginx", "1.16"); digests count as "latest"."""
    ref = reference.strip()
    if "@" in ref:
        ref = ref.split("@", 1)[0]
    name, tag = ref, "latest"
    last = ref.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = ref.rsplit(":", 1)
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]  # drop the registry host
    if len(parts) > 1 and parts[0] == "library":
        parts = parts[1:]
    return "/".join(parts), tag


def lookup_image(reference: str) -> ImageInfo:
    """Return the catalogue entry for an image reference (never raises)."""
    repository, tag = parse_reference(reference)
    builder = _BUILDERS.get(repository)
    if builder is None:
        return _generic(reference, repository, tag)
    return builder(reference, tag)


def _version(tag: str, known: dict[str, str], default: str) -> str:
    for prefix, version in known.items():
        if tag == prefix or tag.startswith(prefix + ".") or tag.startswith(prefix + "-"):
            return version
    if tag[:1].isdigit():
        return tag.split("-")[0]
    return default


def _major_minor(version: str) -> tuple[int, int]:
    numbers = [int(p) for p in version.split(".")[:2] if p.isdigit()]
    return (numbers + [0, 0])[0], (numbers + [0, 0])[1]


_NGINX_INDEX = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""

_NGINX_DEFAULT_CONF = """server {
    listen       80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
"""

_NGINX_CONF = """
user  nginx;
worker_processes  1;

error_log  /var/log/nginx/error.log warn;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    keepalive_timeout  65;

    include /etc/nginx/conf.d/*.conf;
}
"""


def _nginx(reference: str, tag: str) -> ImageInfo:
    version = _version(tag, {"1.16": "1.16.1", "1.17": "1.17.10", "1.18": "1.18.0",
                             "1.19": "1.19.10", "1.20": "1.20.2", "1.21": "1.21.6",
                             "1.22": "1.22.1", "1.23": "1.23.4", "1.24": "1.24.0",
                             "1.25": "1.25.5", "1.26": "1.26.2", "1.27": "1.27.3"}, "1.27.3")
    modern = _major_minor(version) >= (1, 19)
    release = "buster" if _major_minor(version) < (1, 21) else "bookworm"
    env = (("PATH", DEFAULT_PATH), ("NGINX_VERSION", version),
           ("NJS_VERSION", "0.3.8" if not modern else "0.8.7"), ("PKG_RELEASE", f"1~{release}"))
    listeners = [Listener(80, "0.0.0.0", "nginx", 1, 6)]
    if modern:  # the entrypoint's 10-listen-on-ipv6-by-default.sh adds `listen [::]:80`
        listeners.append(Listener(80, "[::]", "nginx", 1, 7))
    return ImageInfo(
        reference, "nginx", tag, True, "debian", release,
        entrypoint=("/docker-entrypoint.sh",) if modern else (),
        cmd=("nginx", "-g", "daemon off;"), env=env, exposed_ports=(80,),
        daemon="nginx",
        processes=(
            ProcessTemplate(1, "root", "nginx: master process nginx -g daemon off;", "nginx",
                            10628, 5364),
            ProcessTemplate(6, "nginx", "nginx: worker process", "nginx", 11084, 2608, "S"),
        ),
        listeners=tuple(listeners), users=(("nginx", 101),),
        files=(("/usr/share/nginx/html/index.html", _NGINX_INDEX),
               ("/usr/share/nginx/html/50x.html", "<!DOCTYPE html>\n<html>\n<head>\n"
                "<title>Error</title>\n</head>\n<body>\n<h1>An error occurred.</h1>\n"
                "</body>\n</html>\n"),
               ("/etc/nginx/nginx.conf", _NGINX_CONF),
               ("/etc/nginx/conf.d/default.conf", _NGINX_DEFAULT_CONF),
               ("/var/cache/nginx/", ""), ("/var/log/nginx/access.log", ""),
               ("/var/log/nginx/error.log", "")),
    )


def _redis(reference: str, tag: str) -> ImageInfo:
    version = _version(tag, {"3.2": "3.2.12", "4.0": "4.0.14", "5.0": "5.0.14", "6.0": "6.0.20",
                             "6.2": "6.2.16", "7.0": "7.0.15", "7.2": "7.2.6", "7.4": "7.4.1"},
                       "7.4.1")
    release = {(3, 2): "stretch", (4, 0): "stretch", (5, 0): "buster"}.get(
        _major_minor(version), "bookworm")
    env = (("PATH", DEFAULT_PATH), ("GOSU_VERSION", "1.10" if release == "stretch" else "1.17"),
           ("REDIS_VERSION", version),
           ("REDIS_DOWNLOAD_URL", f"http://download.redis.io/releases/redis-{version}.tar.gz"))
    return ImageInfo(
        reference, "redis", tag, True, "debian", release,
        entrypoint=("docker-entrypoint.sh",), cmd=("redis-server",), working_dir="/data",
        env=env, exposed_ports=(6379,),
        # Deviation: the real redis image lacks iproute2/procps. We keep them so that
        # `ss -napt` in the second container of sample-2pod shows the shared network
        # namespace without an apt step; nginx keeps the notes' "install first" flow.
        packages=frozenset({"iproute2", "procps"}),
        daemon="redis-server",
        processes=(ProcessTemplate(1, "redis", "redis-server *:6379", "redis-server",
                                   33064, 3748, "Ssl"),),
        listeners=(Listener(6379, "0.0.0.0", "redis-server", 1, 5),
                   Listener(6379, "[::]", "redis-server", 1, 4)),
        users=(("redis", 999),), files=(("/data/", ""),),
    )


def _httpd(reference: str, tag: str) -> ImageInfo:
    version = _version(tag, {"2.4": "2.4.62"}, "2.4.62")
    prefix = "/usr/local/apache2"
    return ImageInfo(
        reference, "httpd", tag, True, "debian", "bookworm", cmd=("httpd-foreground",),
        working_dir=prefix,
        env=(("PATH", f"{prefix}/bin:{DEFAULT_PATH}"), ("HTTPD_PREFIX", prefix),
             ("HTTPD_VERSION", version)),
        exposed_ports=(80,), daemon="httpd",
        processes=(ProcessTemplate(1, "root", "httpd -DFOREGROUND", "httpd", 5884, 4504),
                   ProcessTemplate(8, "www-data", "httpd -DFOREGROUND", "httpd", 1998352,
                                   3620, "Sl"),
                   ProcessTemplate(9, "www-data", "httpd -DFOREGROUND", "httpd", 1998352,
                                   3620, "Sl")),
        listeners=(Listener(80, "*", "httpd", 1, 3),),
        files=((f"{prefix}/htdocs/index.html", "<html><body><h1>It works!</h1></body></html>\n"),),
    )


def _busybox(reference: str, tag: str) -> ImageInfo:
    return ImageInfo(reference, "busybox", tag, True, "busybox", "", cmd=("sh",))


def _alpine(reference: str, tag: str) -> ImageInfo:
    return ImageInfo(reference, "alpine", tag, True, "alpine", tag if tag[:1].isdigit()
                     else "3.20", cmd=("/bin/sh",))


def _distro(repository: str, release: str):
    def build(reference: str, tag: str) -> ImageInfo:
        return ImageInfo(reference, repository, tag, True, "debian", release,
                         cmd=("bash",) if repository == "debian" else ("/bin/bash",))
    return build


def _language(repository: str, cmd: tuple[str, ...], env: tuple[tuple[str, str], ...]):
    def build(reference: str, tag: str) -> ImageInfo:
        return ImageInfo(reference, repository, tag, True, "debian", "bookworm",
                         entrypoint=("docker-entrypoint.sh",) if repository == "node" else (),
                         cmd=cmd, env=(("PATH", DEFAULT_PATH),) + env,
                         packages=frozenset({"procps"}))
    return build


def _generic(reference: str, repository: str, tag: str) -> ImageInfo:
    return ImageInfo(reference, repository, tag, False, "debian", "bookworm",
                     packages=frozenset({"iproute2", "procps"}))


# ---- added by the node simulation (kubelet helper): databases, caches and the images of a
# kind control plane. "distroless" images contain their program and nothing else: no shell.
def _server(repository: str, release: str, daemon: str, ports: tuple[int, ...],
            env: tuple[tuple[str, str], ...], user: tuple[str, int], working_dir: str = "/",
            entrypoint: tuple[str, ...] = ("docker-entrypoint.sh",)):
    def build(reference: str, tag: str) -> ImageInfo:
        return ImageInfo(
            reference, repository, tag, True, "debian", release, entrypoint=entrypoint,
            cmd=(daemon,), working_dir=working_dir, env=(("PATH", DEFAULT_PATH),) + env,
            exposed_ports=ports, daemon=daemon,
            processes=(ProcessTemplate(1, user[0], daemon, daemon, 220000, 28000, "Ssl"),),
            listeners=tuple(Listener(port, "0.0.0.0", daemon, 1, 5 + i)
                            for i, port in enumerate(ports)),
            users=(user,))
    return build


def _distroless(repository: str, entrypoint: tuple[str, ...], daemon: str,
                ports: tuple[int, ...] = ()):
    def build(reference: str, tag: str) -> ImageInfo:
        return ImageInfo(reference, repository, tag, True, "distroless", "", entrypoint=entrypoint,
                         exposed_ports=ports, daemon=daemon,
                         listeners=tuple(Listener(port, "*", daemon, 1, 3 + i)
                                         for i, port in enumerate(ports)))
    return build


_BUILDERS = {
    "postgres": _server("postgres", "bookworm", "postgres", (5432,),
                        (("PG_MAJOR", "17"), ("PG_VERSION", "17.2-1.pgdg120+1"),
                         ("PGDATA", "/var/lib/postgresql/data")), ("postgres", 999)),
    "mysql": _server("mysql", "bookworm", "mysqld", (3306, 33060),
                     (("MYSQL_MAJOR", "8.4"), ("MYSQL_VERSION", "8.4.3-1.el9")), ("mysql", 999)),
    "memcached": _server("memcached", "bookworm", "memcached", (11211,),
                         (("MEMCACHED_VERSION", "1.6.32"),), ("memcache", 11211)),
    "hello-world": _distroless("hello-world", ("/hello",), "hello"),
    "pause": _distroless("pause", ("/pause",), "pause"),
    "coredns/coredns": _distroless("coredns/coredns", ("/coredns",), "coredns", (53, 9153)),
    "etcd": _distroless("etcd", (), "etcd", (2379, 2380, 2381)),
    "kube-apiserver": _distroless("kube-apiserver", (), "kube-apiserver", (6443,)),
    "kube-controller-manager": _distroless("kube-controller-manager", (), "kube-controller-manager",
                                           (10257,)),
    "kube-scheduler": _distroless("kube-scheduler", (), "kube-scheduler", (10259,)),
    "kube-proxy": _distroless("kube-proxy", (), "kube-proxy", (10249, 10256)),

    "nginx": _nginx,
    "redis": _redis,
    "httpd": _httpd,
    "busybox": _busybox,
    "alpine": _alpine,
    "debian": _distro("debian", "bookworm"),
    "ubuntu": _distro("ubuntu", "noble"),
    "python": _language("python", ("python3",), (("LANG", "C.UTF-8"),
                                                 ("PYTHON_VERSION", "3.12.7"))),
    "node": _language("node", ("node",), (("NODE_VERSION", "22.11.0"),
                                          ("YARN_VERSION", "1.22.22"))),
}


image_profile = lookup_image  # the name the node simulation's brief uses for the same lookup
