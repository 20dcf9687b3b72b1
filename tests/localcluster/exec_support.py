"""Shared by the exec and simulated-shell tests: a pty driver that waits on output with a
deadline (never a fixed sleep) and running pods without depending on the kubelet."""

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
from pathlib import Path

import orjson

from kubetui.localcluster.sandbox.context import build_context
from tests.support.clusters import RunningCluster
from tests.support.waiting import wait_for

PYTHON = sys.executable
STARTED_AT = "2026-11-26T16:00:00Z"
NODE = "kind-worker"  # where the pods of these tests run (the simulated shell shows it)


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

        def end_of_text() -> int | None:
            index = self.transcript.find(needle, self._consumed)
            if index >= 0:
                return index + len(needle)
            if not self._read(0.2):
                raise AssertionError(f"{text!r} did not appear before the program closed its terminal; "
                                     f"output so far:\n{self._output()}")
            return None

        end = wait_for(end_of_text, timeout, interval=0, message=repr(text),
                       detail=lambda: f"output so far:\n{self._output()}")
        chunk = self.transcript[self._consumed:end]
        self._consumed = end
        return chunk.decode(errors="replace")

    def _output(self) -> str:
        return self.transcript.decode(errors="replace")

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def line(self, text: str) -> None:
        self.send(text + "\r")

    def resize(self, rows: int, cols: int, notify: bool = False) -> None:
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        if notify:  # the program is not our session's foreground group: tell it directly
            os.kill(self.process.pid, signal.SIGWINCH)

    def wait(self, timeout: float = 15.0) -> int:
        """The program's exit code once it ends; its output is read meanwhile (a full pty would
        block it)."""
        def ended() -> bool:
            self._read(0.1)
            return self.process.poll() is not None

        wait_for(ended, timeout, interval=0, message="the program to end",
                 detail=lambda: f"output so far:\n{self._output()}")
        return self.process.returncode

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
        if parent == os.getpid() and b"kubetui.localcluster.shell" in cmdline:
            found.add(int(entry.name))
    return found


def simshell_argv(context_file: Path, *argv: str) -> list[str]:
    return [PYTHON, "-m", "kubetui.localcluster.shell", "--context", str(context_file), "--",
            *argv]


def write_context(tmp_path: Path, pod: dict, container: str, node_ip: str = "172.18.0.3",
                  **kwargs) -> Path:
    path = tmp_path / f"{pod['metadata']['name']}-{container}.json"
    path.write_text(json.dumps(build_context(pod, container, node_ip, **kwargs)))
    return path


def as_running(manifest: dict, ip: str = "10.244.1.5", namespace: str = "default") -> dict:
    """`manifest` as the API shows it once it runs on `NODE`: namespace, uid and a Running status
    (what the simulated shell builds its context from, no server needed)."""
    name = manifest["metadata"]["name"]
    shown = {**manifest, "metadata": {**manifest["metadata"], "namespace": namespace, "uid": f"uid-{name}"},
             "spec": {"nodeName": NODE, **manifest["spec"]}}
    shown["status"] = running_status(shown, ip)
    return shown


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


def run_pod(running: RunningCluster, manifest: dict, ip: str, namespace: str = "default",
            status: dict | None = None) -> dict:
    """Create the pod through the API on `NODE` (unless it names a node), then mark it Running
    via the status subresource: no kubelet needed."""
    created = running.raw.create_pod(namespace, {**manifest, "spec": {"nodeName": NODE, **manifest["spec"]}})
    return patch_status(running, manifest["metadata"]["name"],
                        status if status is not None else running_status(created, ip), namespace)


def patch_status(running: RunningCluster, name: str, status: dict, namespace: str = "default") -> dict:
    """Set the pod's status as a kubelet would (a merge patch of the status subresource)."""
    code, _, data = running.raw.request(
        "PATCH", f"/api/v1/namespaces/{namespace}/pods/{name}/status", orjson.dumps({"status": status}),
        {"Content-Type": "application/merge-patch+json"})
    assert code == 200, data
    return orjson.loads(data)
