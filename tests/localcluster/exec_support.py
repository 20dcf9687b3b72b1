"""Shared by the exec and simulated-shell tests: a pty driver that waits on output with a
deadline (never a fixed sleep), running pods without depending on the kubelet, and a small
cluster wrapper with real kubectl and the official client."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

import orjson

from kubetui.localcluster import ClusterOptions, LocalCluster
from kubetui.localcluster.simshell import build_context
from tests.conftest import KUBECTL, RawClient

PYTHON = sys.executable
STARTED_AT = "2026-11-26T16:00:00Z"


class PtySession:
    """A program on the slave side of a real pty; read with `expect`, type with `send`."""

    def __init__(self, argv: list[str], env: dict | None = None, rows: int = 24,
                 cols: int = 80):
        self.master, slave = pty.openpty()
        self.resize(rows, cols)
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                        start_new_session=True, close_fds=True)
        os.close(slave)
        self.transcript = b""
        self._consumed = 0

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the program closed the terminal
            return False
        self.transcript += data
        return bool(data)

    def expect(self, text: str, timeout: float = 15.0) -> str:
        """Wait until `text` appears after what earlier calls consumed; return the new output."""
        needle = text.encode()
        deadline = time.monotonic() + timeout
        while True:
            index = self.transcript.find(needle, self._consumed)
            if index >= 0:
                end = index + len(needle)
                chunk = self.transcript[self._consumed:end]
                self._consumed = end
                return chunk.decode(errors="replace")
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._read(min(remaining, 0.2)):
                raise AssertionError(f"{text!r} did not appear; output so far:\n"
                                     f"{self.transcript.decode(errors='replace')}")

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def line(self, text: str) -> None:
        self.send(text + "\r")

    def resize(self, rows: int, cols: int, notify: bool = False) -> None:
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        if notify:  # the program is not our session's foreground group: tell it directly
            os.kill(self.process.pid, signal.SIGWINCH)

    def wait(self, timeout: float = 15.0) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.1)
        return self.process.wait(max(0.1, deadline - time.monotonic()))

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)
        os.close(self.master)


def simshell_children() -> set[int]:
    """PIDs of simulated-shell processes this test process (the cluster's loop) started."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"kubetui.localcluster.simshell" in cmdline:
            found.add(int(entry.name))
    return found


def simshell_argv(context_file: Path, *argv: str) -> list[str]:
    return [PYTHON, "-m", "kubetui.localcluster.simshell", "--context", str(context_file), "--",
            *argv]


def write_context(tmp_path: Path, pod: dict, container: str, node_ip: str = "172.18.0.3",
                  **kwargs) -> Path:
    path = tmp_path / f"{pod['metadata']['name']}-{container}.json"
    path.write_text(json.dumps(build_context(pod, container, node_ip, **kwargs)))
    return path


def running_status(pod: dict, ip: str) -> dict:
    statuses = [{"name": c["name"], "image": c["image"], "imageID": f"docker.io/library/"
                 f"{c['image']}@sha256:{'0' * 64}", "containerID": f"containerd://{'1' * 64}",
                 "ready": True, "restartCount": 0, "started": True,
                 "state": {"running": {"startedAt": STARTED_AT}}}
                for c in pod["spec"]["containers"]]
    return {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}], "hostIP": "172.18.0.3",
            "startTime": STARTED_AT, "containerStatuses": statuses,
            "conditions": [{"type": "Ready", "status": "True",
                            "lastTransitionTime": STARTED_AT}]}


def pod(name: str, *containers: dict, node: str = "kind-worker", **spec) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"nodeName": node, "containers": list(containers), **spec}}


@dataclass
class ExecCluster:
    cluster: LocalCluster
    kubeconfig: Path
    cache: Path
    raw: RawClient

    def kubectl(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(self.kubectl_argv(*args), capture_output=True, text=True,
                              env=self.env, timeout=timeout)

    def kubectl_argv(self, *args: str) -> list[str]:
        return [KUBECTL, "--kubeconfig", str(self.kubeconfig), *args]

    @property
    def env(self) -> dict:
        return {**os.environ, "KUBECACHEDIR": str(self.cache), "KUBECONFIG": str(self.kubeconfig)}

    def run_pod(self, manifest: dict, ip: str, namespace: str = "default",
                status: dict | None = None) -> dict:
        """Create the pod through the API, then mark it Running via the status subresource."""
        path = f"/api/v1/namespaces/{namespace}/pods"
        created = self.raw.json("POST", path, manifest, expect=201)
        body = {"status": status if status is not None else running_status(created, ip)}
        code, _, data = self.raw.request(
            "PATCH", f"{path}/{manifest['metadata']['name']}/status", orjson.dumps(body),
            {"Content-Type": "application/merge-patch+json"})
        assert code == 200, data
        return orjson.loads(data)

    def api(self):
        from kubernetes import client, config

        return client.CoreV1Api(config.new_client_from_config(config_file=str(self.kubeconfig)))


def start_exec_cluster(directory: Path, host_exec: bool = False) -> ExecCluster:
    cluster = LocalCluster(ClusterOptions(port=0, kubelet=False, controllers=False,
                                          host_exec=host_exec)).start()
    kubeconfig = cluster.write_kubeconfig(directory / "kubeconfig")
    cache = directory / "cache"
    cache.mkdir()
    return ExecCluster(cluster, kubeconfig, cache, RawClient(cluster, cluster.token))
