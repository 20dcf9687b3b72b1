"""Shared by the port-forward tests: a cluster whose kubelets run nginx and redis pods, a forward
process (kubectl's or kubetui's) read up to its `Forwarding from` line, and tiny HTTP and RESP
clients with deadlines."""

from __future__ import annotations

import os
import re
import select
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


from kubetui.localcluster import ClusterOptions, LocalCluster
from tests.support.clusters import KUBECTL, RawClient
from tests.support.waiting import wait_for

FORWARDING = re.compile(r"Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)")
NGINX_POD = {"metadata": {"name": "sample-pod", "labels": {"app": "web"}},
             "spec": {"containers": [{"name": "nginx-container", "image": "nginx:1.16"}]}}
TWO_POD = {"metadata": {"name": "sample-2pod"},
           "spec": {"containers": [{"name": "nginx-container", "image": "nginx:1.16"},
                                   {"name": "redis-container", "image": "redis:3.2"}]}}
WEB_DEPLOYMENT = {"metadata": {"name": "web"}, "spec": {
    "replicas": 1, "selector": {"matchLabels": {"app": "web-deploy"}},
    "template": {"metadata": {"labels": {"app": "web-deploy"}},
                 "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27",
                                          "ports": [{"containerPort": 80, "name": "http"}]}]}}}}
WEB_SERVICE = {"metadata": {"name": "web"},
               "spec": {"selector": {"app": "web-deploy"}, "ports": [{"port": 8080, "targetPort": "http"}]}}


@dataclass
class ForwardCluster:
    cluster: LocalCluster
    kubeconfig: Path
    env: dict
    raw: RawClient

    def kubectl(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([KUBECTL, "--kubeconfig", str(self.kubeconfig), *args], capture_output=True,
                              text=True, env=self.env, timeout=timeout)

    def running(self, name: str) -> None:
        def ready():
            pod = self.raw.json("GET", f"/api/v1/namespaces/default/pods/{name}")
            statuses = (pod.get("status") or {}).get("containerStatuses") or []
            return statuses and all(s.get("ready") for s in statuses)

        wait_for(ready, timeout=60, message=f"{name} ready")


def start_forward_cluster(directory: Path) -> ForwardCluster:
    cluster = LocalCluster(ClusterOptions(port=0, time_scale=20.0, bookmark_interval=0.5)).start()
    kubeconfig = cluster.write_kubeconfig(directory / "kubeconfig")
    env = {**os.environ, "KUBECACHEDIR": str(directory / "cache"), "KUBECONFIG": str(kubeconfig)}
    env.pop("XDG_STATE_HOME", None)
    raw = RawClient(cluster, cluster.token)
    for path, body in (("/api/v1/namespaces/default/pods", NGINX_POD), ("/api/v1/namespaces/default/pods", TWO_POD),
                       ("/apis/apps/v1/namespaces/default/deployments", WEB_DEPLOYMENT),
                       ("/api/v1/namespaces/default/services", WEB_SERVICE)):
        raw.json("POST", path, body, expect=201)
    forwarding = ForwardCluster(cluster, kubeconfig, env, raw)
    for name in ("sample-pod", "sample-2pod"):
        forwarding.running(name)
    return forwarding


class Forward:
    """A `port-forward` process; `ports` maps remote to local once it printed its lines."""

    def __init__(self, argv: list[str], env: dict, expected: int = 1) -> None:
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.stdout = b""
        self.ports: dict[int, int] = {}
        deadline = time.monotonic() + 60
        while len(self.ports) < expected:
            assert time.monotonic() < deadline, f"no Forwarding line: {self.stdout!r} {self.finish()}"
            self._read(self.process.stdout, 1.0)
            for local, remote in FORWARDING.findall(self.stdout.decode()):
                self.ports[int(remote)] = int(local)
            assert self.process.poll() is None or self.ports, f"exited: {self.finish()}"

    def _read(self, stream, timeout: float) -> bytes:
        ready, _, _ = select.select([stream], [], [], timeout)
        if not ready:
            return b""
        data = os.read(stream.fileno(), 65536)
        if stream is self.process.stdout:
            self.stdout += data
        return data

    def finish(self, timeout: float = 20) -> tuple[int | None, str, str]:
        """Wait for the process to end on its own (or stop it); (code, stdout, stderr)."""
        try:
            out, err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        return self.process.returncode, (self.stdout + out).decode(), err.decode()

    def interrupt(self) -> tuple[int | None, str, str]:
        """Ctrl-C, as a user stops it."""
        if self.process.poll() is None:
            self.process.send_signal(2)
        return self.finish()


def kubectl_forward(env_cluster: ForwardCluster, *args: str, expected: int = 1) -> Forward:
    return Forward([KUBECTL, "--kubeconfig", str(env_cluster.kubeconfig), "port-forward", *args], env_cluster.env,
                   expected)


def kubetui_forward(env_cluster: ForwardCluster, *args: str, expected: int = 1) -> Forward:
    return Forward([sys.executable, "-m", "kubetui", "--kubeconfig", str(env_cluster.kubeconfig), "port-forward",
                    *args], env_cluster.env, expected)


def http_get(port: int, path: str = "/", host: str = "127.0.0.1") -> tuple[int, dict, bytes]:
    import http.client

    connection = http.client.HTTPConnection(host, port, timeout=15)
    try:
        connection.request("GET", path, headers={"User-Agent": "forward-test/1.0"})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def redis_command(port: int, payload: bytes, expect: int) -> bytes:
    """Send RESP bytes; read until `expect` bytes arrived (or the server closed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(payload)
        got = b""
        while len(got) < expect:
            chunk = sock.recv(1 << 20)
            if not chunk:
                break
            got += chunk
        return got


def logs(env_cluster: ForwardCluster, pod: str, container: str) -> str:
    return env_cluster.kubectl("logs", pod, "-c", container).stdout


def resp(*words: bytes) -> bytes:
    return b"*%d\r\n" % len(words) + b"".join(b"$%d\r\n%s\r\n" % (len(word), word) for word in words)


__all__ = ["Forward", "ForwardCluster", "http_get", "kubectl_forward", "kubetui_forward", "logs", "redis_command",
           "resp", "start_forward_cluster"]
