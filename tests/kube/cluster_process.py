"""A local API server in a child process, so a test can freeze it (SIGSTOP) as a hung machine
or a paused VM would: its sockets stay open and nothing at all comes out of them.

Run as a script it starts the bare server (`tests.support.clusters.start_cluster`, its
kubeconfig in the given directory) and prints `ready PORT`, then serves until its stdin closes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[2]


class ClusterProcess:
    def __init__(self, process: subprocess.Popen, port: int, kubeconfig: Path) -> None:
        self.process, self.port, self.kubeconfig = process, port, kubeconfig

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@contextmanager
def cluster_process(directory: Path, *, bookmark_interval: float = 0.5) -> Iterator[ClusterProcess]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, __file__, str(directory), str(bookmark_interval)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stdout.readline()  # the child prints it once it serves, or dies (EOF)
        assert line.startswith("ready "), f"the cluster process did not start: {line!r}"
        yield ClusterProcess(process, int(line.split()[1]), directory / "kubeconfig")
    finally:
        process.send_signal(signal.SIGCONT)
        process.stdin.close()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _serve(directory: str, bookmark_interval: float) -> None:
    from tests.support.clusters import BARE_SERVER, start_cluster

    with start_cluster(Path(directory), bookmark_interval=bookmark_interval, **BARE_SERVER) as running:
        print("ready", running.cluster.port, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    _serve(sys.argv[1], float(sys.argv[2]))
