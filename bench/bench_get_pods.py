"""`kubetui get pods -A` against `kubectl get pods -A` on the local cluster, side by side.

For each size it starts `kubetui cluster --pods N` in a subprocess, warms both commands once
(kubectl's discovery cache, the OS page cache), then times RUNS rounds in which the two commands
alternate (which one goes first alternates too, so drifting machine load hits both alike). It
prints the medians, the min-max spread and the ratio kubetui / kubectl (the goal is <= 1.0),
and checks that both printed the same lines, ages aside.

    .venv/bin/python bench/bench_get_pods.py                 # 1,000 and 10,000 pods, 7 rounds
    .venv/bin/python bench/bench_get_pods.py --sizes 1000 --runs 11 --churn 20
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent  # run it with the venv python
KUBECTL = str(VENV_BIN / "kubectl")
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
KUBETUI = [str(VENV_BIN / "kubetui")] if (VENV_BIN / "kubetui").exists() else [PYTHON, "-m", "kubetui"]
READY = re.compile(r"ready at (https://\S+) \(kubeconfig: (.+)\)")
AGO = re.compile(r"\([0-9a-z]+ ago\)")


def start_cluster(pods: int, churn: float, workdir: Path) -> tuple[subprocess.Popen, Path]:
    kubeconfig = workdir / f"kubeconfig-{pods}"
    command = [*KUBETUI, "cluster", "--pods", str(pods), "--write-kubeconfig", str(kubeconfig)]
    if churn:
        command += ["--churn", str(churn)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            stdin=subprocess.DEVNULL)
    line = proc.stdout.readline()  # the one ready line (blocks until the server listens)
    if not READY.search(line):
        proc.kill()
        raise SystemExit(f"the cluster did not start: {line!r}")
    return proc, kubeconfig


def stop_cluster(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return elapsed, result.stdout


def lines_without_ages(text: str) -> list[str]:
    """Each table line as its cells, AGE dropped and "(5s ago)" masked."""
    rows = [re.split(r" {3,}", line) for line in text.splitlines()]
    if not rows:
        return []
    age = rows[0].index("AGE") if "AGE" in rows[0] else None
    out = []
    for row in rows:
        if age is not None:
            row = row[:age] + row[age + 1:]
        out.append(" | ".join(AGO.sub("(…)", cell) for cell in row))
    return out


def bench_size(pods: int, runs: int, churn: float, workdir: Path) -> dict:
    proc, kubeconfig = start_cluster(pods, churn, workdir)
    env = {**os.environ, "KUBECACHEDIR": str(workdir / "kubectl-cache")}
    kubectl = [KUBECTL, "--kubeconfig", str(kubeconfig), "get", "pods", "-A"]
    kubetui = [*KUBETUI, "--kubeconfig", str(kubeconfig), "get", "pods", "-A"]
    try:
        timed(kubectl, env)  # warm-up: discovery cache, page cache
        timed(kubetui, env)
        times: dict[str, list[float]] = {"kubectl": [], "kubetui": []}
        same = 0
        for round_ in range(runs):
            order = [("kubectl", kubectl), ("kubetui", kubetui)]
            if round_ % 2:
                order.reverse()
            outputs = {}
            for name, command in order:
                elapsed, outputs[name] = timed(command, env)
                times[name].append(elapsed)
            same += lines_without_ages(outputs["kubectl"]) == lines_without_ages(outputs["kubetui"])
        rows = len(outputs["kubetui"].splitlines()) - 1
    finally:
        stop_cluster(proc)
    return {"pods": pods, "rows": rows, "times": times, "same": same, "runs": runs}


def report(results: list[dict], churn: float) -> None:
    print()
    print(f"kubetui get pods -A  vs  kubectl get pods -A   (churn {churn}/s; wall time per command, seconds)")
    header = f"{'pods':>7} {'kubectl median':>15} {'(min-max)':>13} {'kubetui median':>15} {'(min-max)':>13}" \
             f" {'ratio':>6} {'goal':>5}  same lines"
    print(header)
    print("-" * len(header))
    for r in results:
        k, t = r["times"]["kubectl"], r["times"]["kubetui"]
        km, tm = statistics.median(k), statistics.median(t)
        ratio = tm / km
        print(f"{r['pods']:>7} {km:>15.3f} {f'{min(k):.2f}-{max(k):.2f}':>13} {tm:>15.3f}"
              f" {f'{min(t):.2f}-{max(t):.2f}':>13} {ratio:>6.2f} {'ok' if ratio <= 1.0 else 'MISS':>5}"
              f"  {r['same']}/{r['runs']} runs ({r['rows']} rows)")
    print(f"\n{os.cpu_count()} CPUs; the server runs on the same machine, so both sides share it.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--churn", type=float, default=0.0, help="synthetic changes per second")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-get-pods-") as tmp:
        for pods in args.sizes:
            print(f"{pods} pods: starting the cluster, {args.runs} rounds ...", flush=True)
            results.append(bench_size(pods, args.runs, args.churn, Path(tmp)))
    report(results, args.churn)
    return 0


if __name__ == "__main__":
    sys.exit(main())
