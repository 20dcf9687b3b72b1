"""`kubetui get rs -A` and `get deploy -A` against kubectl on the same local cluster, side by side.

Starts `kubetui cluster --pods 10000 --deployments 1000 --replicasets 2000` in a subprocess
(10,000 pods owned by 2,000 ReplicaSets of 1,000 Deployments), waits until its controllers are
idle, warms both commands once (kubectl's discovery cache and ours, kubetui's bytecode, the
page cache), then times
RUNS rounds in which the two commands alternate (which one goes first alternates too). Prints
the medians, the min-max spread and the ratio kubetui / kubectl (goal: <= 1.0), and checks the
outputs: identical bytes, or identical once the AGE column is masked (an age may tick between
the two commands).

    .venv/bin/python bench/bench_get_kinds.py                    # rs -A and deploy -A, 7 rounds
    .venv/bin/python bench/bench_get_kinds.py --runs 11 --kinds rs
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

VENV_BIN = Path(sys.executable).parent  # run it with the venv python
KUBECTL = str(VENV_BIN / "kubectl")
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
KUBETUI = [str(VENV_BIN / "kubetui")] if (VENV_BIN / "kubetui").exists() else [PYTHON, "-m", "kubetui"]
READY = re.compile(r"ready at (https://\S+) \(kubeconfig: (.+)\)")
SIZES = {"pods": 10_000, "deployments": 1_000, "replicasets": 2_000}


def start_cluster(workdir: Path, churn: float, env: dict[str, str]) -> tuple[subprocess.Popen, Path]:
    kubeconfig = workdir / "kubeconfig"
    command = [*KUBETUI, "cluster", "--write-kubeconfig", str(kubeconfig)]
    for flag, count in SIZES.items():
        command += [f"--{flag}", str(count)]
    if churn:
        command += ["--churn", str(churn)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            stdin=subprocess.DEVNULL, env=env)
    line = proc.stdout.readline()  # the one ready line (blocks until the server listens)
    if not READY.search(line):
        proc.kill()
        raise SystemExit(f"the cluster did not start: {line!r}")
    return proc, kubeconfig


def wait_until_idle(pid: int, timeout: float = 120.0) -> None:
    """The controllers reconcile every owner once after the load: wait until the server's CPU
    time stops growing (under 10% of a core over half a second)."""
    clock = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + timeout
    before = _cpu_seconds(pid, clock)
    while time.monotonic() < deadline:
        time.sleep(0.5)  # the sampling window
        now = _cpu_seconds(pid, clock)
        if now - before < 0.05:
            return
        before = now
    raise SystemExit("the cluster did not settle")


def _cpu_seconds(pid: int, clock: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / clock  # utime + stime


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
    if result.returncode != 0 or result.stderr:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return elapsed, result.stdout


def without_ages(text: str) -> list[list[str]]:
    """Each table line as its cells with the AGE cell dropped."""
    rows = [re.split(r" {3,}", line) for line in text.splitlines()]
    if not rows or "AGE" not in rows[0]:
        return rows
    age = rows[0].index("AGE")
    return [row[:age] + row[age + 1:] for row in rows]


def bench_kind(kind: str, runs: int, kubeconfig: Path, env: dict[str, str]) -> dict:
    kubectl = [KUBECTL, "--kubeconfig", str(kubeconfig), "get", kind, "-A"]
    kubetui = [*KUBETUI, "--kubeconfig", str(kubeconfig), "get", kind, "-A"]
    timed(kubectl, env)  # warm-up: discovery caches, page cache
    timed(kubetui, env)
    times: dict[str, list[float]] = {"kubectl": [], "kubetui": []}
    identical = same_cells = 0
    for round_ in range(runs):
        order = [("kubectl", kubectl), ("kubetui", kubetui)]
        if round_ % 2:
            order.reverse()
        outputs = {}
        for name, command in order:
            elapsed, outputs[name] = timed(command, env)
            times[name].append(elapsed)
        identical += outputs["kubectl"] == outputs["kubetui"]
        same_cells += without_ages(outputs["kubectl"]) == without_ages(outputs["kubetui"])
    rows = len(outputs["kubetui"].splitlines()) - 1
    return {"kind": kind, "rows": rows, "times": times, "identical": identical, "same_cells": same_cells,
            "runs": runs}


def report(results: list[dict], churn: float) -> None:
    print()
    print(f"kubetui get KIND -A  vs  kubectl get KIND -A   ({SIZES['pods']} pods, {SIZES['replicasets']} "
          f"ReplicaSets, {SIZES['deployments']} Deployments; churn {churn}/s; wall time per command, s)")
    header = (f"{'kind':>6} {'rows':>6} {'kubectl median':>15} {'(min-max)':>13} {'kubetui median':>15} "
              f"{'(min-max)':>13} {'ratio':>6} {'goal':>5}  identical / same but AGE")
    print(header)
    print("-" * len(header))
    for r in results:
        k, t = r["times"]["kubectl"], r["times"]["kubetui"]
        km, tm = statistics.median(k), statistics.median(t)
        ratio = tm / km
        print(f"{r['kind']:>6} {r['rows']:>6} {km:>15.3f} {f'{min(k):.2f}-{max(k):.2f}':>13} {tm:>15.3f}"
              f" {f'{min(t):.2f}-{max(t):.2f}':>13} {ratio:>6.2f} {'ok' if ratio <= 1.0 else 'MISS':>5}"
              f"  {r['identical']}/{r['runs']} / {r['same_cells']}/{r['runs']}")
    print(f"\n{os.cpu_count()} CPUs; the server runs on the same machine, so both sides share it.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--kinds", nargs="+", default=["rs", "deploy"])
    parser.add_argument("--churn", type=float, default=0.0, help="synthetic changes per second")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-get-kinds-") as tmp:
        workdir = Path(tmp)
        # As an installed kubetui runs: with its bytecode (pip compiles it at install time). The
        # bytecode goes to the temporary directory, never into the source tree.
        env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
               "PYTHONPYCACHEPREFIX": str(workdir / "pycache"), "KUBECACHEDIR": str(workdir / "kubectl-cache"),
               "XDG_CACHE_HOME": str(workdir / "kubetui-cache")}
        print("starting the cluster ...", flush=True)
        proc, kubeconfig = start_cluster(workdir, args.churn, env)
        try:
            if not args.churn:
                wait_until_idle(proc.pid)
            for kind in args.kinds:
                print(f"get {kind} -A: {args.runs} rounds ...", flush=True)
                results.append(bench_kind(kind, args.runs, kubeconfig, env))
        finally:
            stop_cluster(proc)
    report(results, args.churn)
    return 0


if __name__ == "__main__":
    sys.exit(main())
