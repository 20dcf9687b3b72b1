"""Port-forward throughput and latency: `kubetui port-forward` vs `kubectl port-forward`.

Runs `kubetui cluster --seed` in its own process, waits for sample-2pod (nginx + redis), and
forwards a free local port to its redis with both tools (kubectl tunnels SPDY in one WebSocket;
kubetui opens one v4-channel WebSocket per connection). Per round, alternating which goes first:
* upload: `SET big <10 MB>` until `+OK` (MB/s);
* download: `GET big` until the 10 MB arrived (MB/s);
* round trip: 200 `PING`s on one connection (median ms);
* connect: 50 new connections, `PING` each (median ms: what opening a connection costs).
Medians over --runs rounds. The official Python client's `portforward` (v4, in this process)
is measured the same way for reference.

    .venv/bin/python bench/bench_port_forward.py [--runs 5] [--megabytes 10]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench_cluster  # noqa: E402  (bench/ is on sys.path when a script here runs)

KUBECTL = str(Path(sys.executable).parent / "kubectl")
FORWARDING = re.compile(rb"Forwarding from 127\.0\.0\.1:(\d+) -> 6379")


def resp(*words: bytes) -> bytes:
    return b"*%d\r\n" % len(words) + b"".join(b"$%d\r\n%s\r\n" % (len(word), word) for word in words)


def read_exactly(sock, size: int) -> bytes:
    chunks, got = [], 0
    while got < size:
        chunk = sock.recv(min(1 << 20, size - got))
        if not chunk:
            raise SystemExit(f"the forward closed after {got} of {size} bytes")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def measure(connect, megabytes: int) -> dict[str, float]:
    """One round through `connect()` (a new connected socket each call)."""
    big = os.urandom(megabytes * 1024 * 1024)
    with connect() as sock:
        start = time.perf_counter()
        sock.sendall(resp(b"SET", b"big", big))
        assert read_exactly(sock, 5) == b"+OK\r\n"
        upload = time.perf_counter() - start
        start = time.perf_counter()
        sock.sendall(resp(b"GET", b"big"))
        header = b"$%d\r\n" % len(big)
        got = read_exactly(sock, len(header) + len(big) + 2)
        download = time.perf_counter() - start
        assert got[len(header):-2] == big
        trips = []
        for _ in range(200):
            start = time.perf_counter()
            sock.sendall(b"PING\r\n")
            assert read_exactly(sock, 7) == b"+PONG\r\n"
            trips.append(time.perf_counter() - start)
    connects = []
    for _ in range(50):
        start = time.perf_counter()
        with connect() as sock:
            sock.sendall(b"PING\r\n")
            assert read_exactly(sock, 7) == b"+PONG\r\n"
        connects.append(time.perf_counter() - start)
    return {"upload MB/s": megabytes / upload, "download MB/s": megabytes / download,
            "PING round trip ms": statistics.median(trips) * 1000,
            "connect + PING ms": statistics.median(connects) * 1000}


def forward_process(argv: list[str], env: dict) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    line = process.stdout.readline()
    found = FORWARDING.search(line)
    if not found:
        process.kill()
        raise SystemExit(f"{argv[0]}: {line!r} {process.stderr.read()!r}")
    return process, int(found.group(1))


def local_connect(port: int):
    return lambda: socket.create_connection(("127.0.0.1", port), timeout=60)


def python_client_connect(kubeconfig: Path):
    from kubernetes import client, config
    from kubernetes.stream import portforward

    api = client.CoreV1Api(config.new_client_from_config(config_file=str(kubeconfig)))

    class _Closing:
        def __init__(self) -> None:
            self.forward = portforward(api.connect_get_namespaced_pod_portforward, "sample-2pod", "default",
                                       ports="6379")
            self.sock = self.forward.socket(6379)

        def __enter__(self):
            return self.sock

        def __exit__(self, *_exc) -> None:
            self.forward.close()

    return _Closing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--megabytes", type=int, default=10)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="bench-pf-"))
    kubeconfig = directory / "kubeconfig"
    cluster = bench_cluster.start_cluster(kubeconfig, "--seed")
    env = {**os.environ, "KUBECONFIG": str(kubeconfig), "KUBECACHEDIR": str(directory / "cache"),
           "PYTHONPATH": str(ROOT)}
    processes = []
    try:
        subprocess.run([KUBECTL, "wait", "--for=condition=Ready", "pod/sample-2pod", "--timeout=120s"], env=env,
                       check=True, capture_output=True)
        kubectl, kubectl_port = forward_process([KUBECTL, "port-forward", "sample-2pod", ":6379"], env)
        kubetui, kubetui_port = forward_process([sys.executable, "-m", "kubetui", "port-forward", "sample-2pod",
                                                 ":6379"], env)
        processes = [kubectl, kubetui]
        sides = {"kubectl port-forward": local_connect(kubectl_port),
                 "kubetui port-forward": local_connect(kubetui_port),
                 "Python client portforward (v4)": python_client_connect(kubeconfig)}
        results: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
        for round_number in range(args.runs):
            order = list(sides) if round_number % 2 == 0 else list(reversed(sides))
            for name in order:
                results[name].append(measure(sides[name], args.megabytes))
        metrics = list(next(iter(results.values()))[0])
        print(f"\n{args.megabytes} MB through redis on sample-2pod, medians of {args.runs} rounds "
              f"(load average {os.getloadavg()[0]:.1f})")
        print(f"{'':32}" + "".join(f"{metric:>22}" for metric in metrics))
        for name, rounds in results.items():
            print(f"{name:32}" + "".join(f"{statistics.median(r[m] for r in rounds):>22.1f}" for m in metrics))
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        bench_cluster.stop_cluster(cluster)


if __name__ == "__main__":
    main()
