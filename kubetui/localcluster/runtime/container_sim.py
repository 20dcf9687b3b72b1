"""Decide what a container does when it starts: its RunPlan, from spec, image and pod context.

Key decisions, following the kubelet and container runtime: `command` replaces the image
ENTRYPOINT (and drops its CMD), `args` replaces CMD; `$(VAR)` in them expands from the
container's env. A shell started without `-c` and without stdin reads end-of-file and exits 0
(busybox, alpine, ubuntu: Completed, then CrashLoopBackOff). Shells the image lacks (bash in
busybox/alpine, any shell in a distroless image) fail to start with runc's message. Everything
else runs in the sandbox through the shell's planner (shell/planning.py), the same programs
and interpreter as `kubectl exec`; what only the runtime knows is asked back of this module:
the servers of `servers.py`, the official images' entrypoint scripts, and application
binaries, which run until stopped and serve their declared ports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

from kubetui.localcluster.images.catalogue import ImageInfo
from kubetui.localcluster.sandbox.run_plan import (
    IGNORES_SIGTERM,
    STDERR,
    FileFeed,
    LogLine,
    RunPlan,
    Stop,
    missing_executable,
    start_error_plan,
)
from kubetui.localcluster.runtime.server_context import ServerContext, http_probes
from kubetui.localcluster.runtime.servers import SERVERS, server_plan
from kubetui.localcluster.shell.planning import StartContext, plan_command

SHELLS = ("sh", "bash", "ash", "dash", "zsh")
_ENTRYPOINT_SCRIPTS = ("docker-entrypoint.sh", "entrypoint.sh")
# Tools an image has that the sandbox does not simulate: "not found", as `kubectl exec` says,
# rather than an application binary that never returns.
_UNSIMULATED_TOOLS = frozenset({
    "sed", "awk", "gawk", "wget", "curl", "nslookup", "dig", "ping", "nc", "telnet", "chown",
    "sync", "mount", "umount", "apk", "xargs", "vi", "less", "more", "bc", "jq", "stat", "du",
    "df", "md5sum", "sha256sum", "base64", "gzip", "gunzip", "zcat", "diff", "file", "su"})
_HELLO = """
Hello from Docker!
This message shows that your installation appears to be working correctly.

To generate this message, Docker took the following steps:
 1. The Docker client contacted the Docker daemon.
 2. The Docker daemon pulled the "hello-world" image from the Docker Hub.
    (amd64)
 3. The Docker daemon created a new container from that image which runs the
    executable that produces the output you are currently reading.
 4. The Docker daemon streamed that output to the Docker client, which sent it
    to your terminal.

To try something more ambitious, you can run an Ubuntu container with:
 $ docker run -it ubuntu bash

Share images, automate workflows, and more with a free Docker ID:
 https://hub.docker.com/

For more examples and ideas, visit:
 https://docs.docker.com/get-started/
"""


@dataclass(frozen=True)
class PodContext:
    """What the container sees of its pod when it starts."""

    pod_name: str = "pod"
    pod_ip: str = "10.244.1.2"
    gateway_ip: str = "10.244.1.1"
    ports_in_use: frozenset[int] = frozenset()
    env: Mapping[str, str] = field(default_factory=dict)  # resolved container env
    feeds: Mapping[str, FileFeed] = field(default_factory=dict)  # files other containers write


def image_shells(image: ImageInfo) -> tuple[str, ...]:
    """The shells an image contains (basenames)."""
    return tuple(path.rsplit("/", 1)[-1] for path in image.shells)


def effective_argv(container: dict, image: ImageInfo) -> tuple[list[str], bool]:
    """The process argv, and whether the image ENTRYPOINT is part of it."""
    command = [str(c) for c in container.get("command") or []]
    args = [str(a) for a in container.get("args") or []]
    env = _env_map(container)
    command, args = [expand_references(c, env) for c in command], [expand_references(a, env) for a in args]
    if command:
        return command + args, False
    return list(image.entrypoint) + (args if args else list(image.cmd)), bool(image.entrypoint)


def expand_references(text: str, env: Mapping[str, str]) -> str:
    """Kubernetes' `$(VAR)` expansion in command/args: unknown names stay, `$$` escapes."""
    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        return env[name] if name in env else match.group(0)
    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)", replace, text)


def _env_map(container: dict) -> dict[str, str]:
    return {e["name"]: str(e.get("value", "")) for e in container.get("env") or []
            if isinstance(e, dict) and isinstance(e.get("name"), str) and "valueFrom" not in e}


def plan_container(container: dict, image: ImageInfo, ctx: PodContext) -> RunPlan:
    """The RunPlan of one start of `container`."""
    argv, via_entrypoint = effective_argv(container, image)
    if not argv and not image.known:  # an image we know nothing about runs its own program
        return _Programs(container, image, ctx, dict(ctx.env), False).unknown_program()
    if not argv:
        return start_error_plan("failed to create containerd task: failed to create shim task: "
                                "OCI runtime create failed: runc create failed: unable to start "
                                "container process: error during container init: no command "
                                "specified: unknown")
    env = {name: value for name, value in image.env}
    env.update(ctx.env)
    env.setdefault("HOSTNAME", ctx.pod_name)
    return _Programs(container, image, ctx, env, via_entrypoint).run(argv, top=True)


class _Programs:
    def __init__(self, container: dict, image: ImageInfo, ctx: PodContext,
                 env: dict[str, str], via_entrypoint: bool) -> None:
        self.container, self.image, self.ctx, self.env = container, image, ctx, env
        self.via_entrypoint = via_entrypoint
        self.stdin = bool(container.get("stdin"))

    def _present(self, program: str) -> bool:
        return self.image.has_binary(program)

    def run(self, argv: list[str], top: bool = False) -> RunPlan:
        program = argv[0]
        if not self._present(program):
            if top:
                return start_error_plan(missing_executable(program))
            return RunPlan(lines=(LogLine(0.0, f"sh: 1: {program}: not found", STDERR),),
                           exit_after=0.0, exit_code=127)
        name = program.rsplit("/", 1)[-1]
        if name in SHELLS and "-c" not in argv[1:]:
            return self._shell_reading(argv[1:])
        return plan_command(argv, self._start())

    def _start(self) -> StartContext:
        mounts = tuple((str(m.get("mountPath", "")), bool(m.get("readOnly")))
                       for m in self.container.get("volumeMounts") or []
                       if isinstance(m, dict) and m.get("mountPath") and not m.get("subPath"))
        return StartContext(
            image=self.image.reference, env=self.env, runtime=self.runtime_program,
            provides=self.provides, hostname=self.ctx.pod_name,
            working_dir=self.container.get("workingDir") or self.image.working_dir,
            mounts=mounts, feeds=self.ctx.feeds, stdin=self.stdin)

    def provides(self, name: str) -> bool:
        """A program the image has that the sandbox does not simulate: the runtime runs it."""
        return self._present(name) and name.rsplit("/", 1)[-1] not in _UNSIMULATED_TOOLS

    def runtime_program(self, argv: list[str], simulated: bool) -> RunPlan | None:
        """The plan of a program only the runtime knows, None for the sandbox's own."""
        name, args = argv[0].rsplit("/", 1)[-1], argv[1:]
        if name in _ENTRYPOINT_SCRIPTS and args:
            return self._entrypoint(args)
        if name in SERVERS and self._present(argv[0]):
            if name == "nginx" and "daemon off;" not in " ".join(args):
                return RunPlan(exit_after=0.05, exit_code=0, stop=Stop(0.0))  # it daemonized
            server = ServerContext(self.ctx.pod_ip, self.ctx.gateway_ip, self.env,
                                   self.ctx.ports_in_use, tuple(args),
                                   http_probes(self.container))
            return server_plan(name, server, via_entrypoint=self.via_entrypoint)
        if name in ("python", "python3", "node") and not args:
            # a REPL reading stdin: without stdin it meets end of file at once
            return RunPlan(stop=IGNORES_SIGTERM) if self.stdin else RunPlan(exit_after=0.0)
        if name in ("python", "python3") and args[:2] == ["-m", "http.server"]:
            return _python_http(args[2:], self.ctx)
        if name == "hello":
            return RunPlan(lines=tuple(LogLine(0.0, text) for text in _HELLO.splitlines()),
                           exit_after=0.0)
        if name == "pause":
            return RunPlan(stop=Stop(0.0, 0))
        return None if simulated else self.unknown_program()

    def _entrypoint(self, argv: list[str]) -> RunPlan:
        """The official images' docker-entrypoint.sh: `-flag` means "the default program"."""
        daemon = self.image.daemon
        if daemon and (argv[0].startswith("-") or argv[0].endswith(".conf")):
            argv = [daemon] + argv
        if self.image.repository == "node" and argv[0] not in ("node", "npm", "yarn", "sh", "bash"):
            argv = ["node"] + argv
        return self.run(argv)

    def _shell_reading(self, args: list[str]) -> RunPlan:
        """A shell without `-c`: a script file we cannot see, or stdin."""
        if any(not a.startswith("-") for a in args):  # `sh /script.sh`: a script we cannot see
            return RunPlan(stop=IGNORES_SIGTERM)
        if self.stdin:
            return RunPlan(stop=IGNORES_SIGTERM)
        return RunPlan(exit_after=0.0, exit_code=0, stop=Stop(0.0))  # read EOF on stdin

    def unknown_program(self) -> RunPlan:
        """An application binary we know nothing about: it serves its declared ports."""
        ports = tuple(p["containerPort"] for p in self.container.get("ports") or []
                      if isinstance(p, dict) and isinstance(p.get("containerPort"), int)
                      and p.get("protocol", "TCP") == "TCP")
        if self.image.known:
            ports = ()
        taken = [port for port in ports if port in self.ctx.ports_in_use]
        if taken:
            line = LogLine(0.0, f"listen tcp :{taken[0]}: bind: address already in use", STDERR)
            return RunPlan(lines=(line,), exit_after=0.0, exit_code=1)
        return RunPlan(ports=ports, stop=Stop(0.1, 0))


def _python_http(args: list[str], ctx: PodContext) -> RunPlan:
    port = next((int(a) for a in args if a.isdigit()), 8000)
    if port in ctx.ports_in_use:
        lines = ["Traceback (most recent call last):",
                 '  File "<frozen runpy>", line 198, in _run_module_as_main',
                 "OSError: [Errno 98] Address already in use"]
        return RunPlan(lines=tuple(LogLine(0.1, t, STDERR) for t in lines), exit_after=0.1,
                       exit_code=1)
    line = LogLine(0.1, f"Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ...")
    return RunPlan(lines=(line,), ports=(port,), stop=Stop(0.05, 0))


PlanFunction = Callable[[dict, ImageInfo, PodContext], RunPlan]
